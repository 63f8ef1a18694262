import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import { freeLoopbackPort } from '@branchwatch/hub';
import { createTestDatabase } from './support/database.js';
import { ApiClient, waitFor } from './support/http.js';
import { HUB_BIN, startNode, stop, type Started } from './support/processes.js';

/**
 * The clients of optional integrations (InfluxDB export, mail out, mail in) are loaded only
 * when the hub is configured to use them, and the libraries of rare requests (Excel and PDF
 * reports, an article's HTML, a 2FA QR code) at their first use: an idle hub keeps their memory
 * (docs/benchmarks.md, "Time to chart and the idle hub"). The built hub is started with a
 * Node module hook that records every package file it resolves.
 */
const OPTIONAL = [
  ...['@influxdata/influxdb-client', 'nodemailer', 'mailparser', 'imapflow'],
  ...['exceljs', 'pdfkit', 'bidi-js', 'sanitize-html', 'qrcode', 'date-holidays'],
];

let work: string;
let hub: Started | undefined;
beforeAll(async () => {
  work = await fs.mkdtemp(path.join(os.tmpdir(), 'bw-idle-modules-'));
});
afterEach(async () => {
  if (hub) await stop(hub);
  hub = undefined;
});
afterAll(async () => {
  await fs.rm(work, { recursive: true, force: true });
});

/** Starts the built hub with `env`, waits until it is ready and idle, and lists the packages it loaded. */
async function packagesLoaded(name: string, env: Record<string, string>): Promise<Set<string>> {
  const record = path.join(work, `${name}-resolved.txt`);
  const hook = path.join(work, `${name}-hook.mjs`);
  const register = path.join(work, `${name}-register.mjs`);
  await fs.writeFile(
    hook,
    `import { appendFileSync } from 'node:fs';
export async function resolve(specifier, context, next) {
  const resolved = await next(specifier, context);
  if (resolved.url.includes('/node_modules/')) appendFileSync(${JSON.stringify(record)}, resolved.url + '\\n');
  return resolved;
}
`,
  );
  await fs.writeFile(
    register,
    `import { register } from 'node:module';\nregister(${JSON.stringify(`file://${hook}`)});\n`,
  );
  const httpPort = await freeLoopbackPort();
  hub = startNode(
    HUB_BIN,
    [],
    {
      DATABASE_URL: await createTestDatabase(),
      BW_DATA_DIR: path.join(work, name),
      BW_HTTP_HOST: '127.0.0.1',
      BW_HTTP_PORT: String(httpPort),
      BW_MQTT_HOST: '127.0.0.1',
      BW_MQTT_PORT: String(await freeLoopbackPort()),
      BW_ADMIN_PASSWORD: 'idle-modules-admin-password',
      NODE_OPTIONS: `--import ${register}`,
      ...env,
    },
    path.join(work, `${name}.log`),
  );
  const api = new ApiClient(`http://127.0.0.1:${httpPort}`);
  await waitFor(
    'the hub to be ready',
    async () => ((await api.get('/readyz')) ? true : undefined),
    90_000,
  );
  // The jobs that run soon after start (rollups, SLA sweep, outbox) have had their turn.
  await new Promise((r) => setTimeout(r, 3000));
  const urls = (await fs.readFile(record, 'utf8')).split('\n');
  const names = new Set<string>();
  for (const url of urls) {
    const m = /\/node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(
      url.slice(url.lastIndexOf('/node_modules/')),
    );
    if (m) names.add(m[1]!);
  }
  return names;
}

it('an idle hub without InfluxDB, SMTP or IMAP settings loads none of these libraries', async () => {
  const loaded = await packagesLoaded('plain', {});
  // The hook sees the hub's own packages: a hook that recorded nothing could not fail the test.
  expect(loaded).toContain('koa');
  expect(loaded).toContain('aedes');
  expect(OPTIONAL.filter((name) => loaded.has(name))).toEqual([]);
}, 150_000);

it('a hub with an InfluxDB export loads its client at start', async () => {
  const loaded = await packagesLoaded('influx', {
    // Nothing listens there: the client only queues until the first flush.
    BW_INFLUX_URL: `http://127.0.0.1:${await freeLoopbackPort()}`,
    BW_INFLUX_TOKEN: 'token',
    BW_INFLUX_ORG: 'bw',
    BW_INFLUX_BUCKET: 'results',
  });
  expect(loaded).toContain('@influxdata/influxdb-client');
  expect(loaded).not.toContain('nodemailer');
}, 150_000);
