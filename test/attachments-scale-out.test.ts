import { randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { freeLoopbackPort } from '@branchwatch/hub';
import { createTestDatabase } from './support/database.js';
import { ApiClient, waitFor } from './support/http.js';
import { startMosquitto, type Mosquitto } from './support/mosquitto.js';
import { HUB_BIN, REPO, startNode, stop, type Started } from './support/processes.js';

/**
 * Scale-out (docs/architecture.md "Scale"): two hub processes, each with a data folder of its
 * own, on one database and Debian's mosquitto, as the external-broker test runs them. A file
 * uploaded through one is downloaded through the other: attachments live in PostgreSQL
 * (docs/decisions.md "Attachments in the database"), not in a hub's data folder.
 */
const ADMIN_PASSWORD = 'scale-out-admin-password';
const HUB_LOGIN = { username: 'bw-hub', password: 'hub-secret-for-tests' };
const AUTH_CLI = path.join(REPO, 'hub/bin/branchwatch-mosquitto-auth.js');

let work: string;
let mosquitto: Mosquitto | undefined;
const hubs: { api: ApiClient; dataDir: string; p?: Started }[] = [];

beforeAll(async () => {
  work = await fs.mkdtemp(path.join(os.tmpdir(), 'bw-attach-scale-'));
  const databaseUrl = await createTestDatabase();
  await fs.mkdir(path.join(work, 'mosquitto'));
  const dir = path.join(work, 'mosquitto');
  const auth = startNode(
    AUTH_CLI,
    ['--password-file', path.join(dir, 'passwords'), '--acl-file', path.join(dir, 'acl')],
    {
      DATABASE_URL: databaseUrl,
      BW_MQTT_URL: `mqtt://${HUB_LOGIN.username}:${HUB_LOGIN.password}@127.0.0.1:1`,
    },
    path.join(work, 'mosquitto-auth.log'),
  );
  if ((await auth.exited).code !== 0)
    throw new Error(`hub:mosquitto-auth failed:\n${auth.output()}`);
  mosquitto = await startMosquitto(dir);
  for (const name of ['a', 'b']) {
    const httpPort = await freeLoopbackPort();
    const dataDir = path.join(work, `hub-${name}`);
    const hub: (typeof hubs)[number] = {
      api: new ApiClient(`http://127.0.0.1:${httpPort}`),
      dataDir,
    };
    hubs.push(hub);
    hub.p = startNode(
      HUB_BIN,
      [],
      {
        DATABASE_URL: databaseUrl,
        BW_DATA_DIR: dataDir,
        BW_HTTP_HOST: '127.0.0.1',
        BW_HTTP_PORT: String(httpPort),
        BW_ADMIN_PASSWORD: ADMIN_PASSWORD,
        BW_MQTT_URL: mosquitto.hubUrl(HUB_LOGIN.username, HUB_LOGIN.password),
        BW_MQTT_CLIENT_ID: `bw-hub-${name}`,
        BW_MQTT_INGEST_WORKERS: '1',
      },
      path.join(work, `hub-${name}.log`),
    );
    await waitFor(
      `hub ${name} to be ready`,
      async () => ((await hub.api.get('/readyz')) ? true : undefined),
      90_000,
    );
  }
}, 200_000);

afterAll(async () => {
  for (const hub of hubs) if (hub.p) await stop(hub.p);
  await mosquitto?.stop();
  if (work) await fs.rm(work, { recursive: true, force: true });
});

it('a file uploaded through one hub process downloads whole through the other', async () => {
  const [a, b] = hubs as [(typeof hubs)[0], (typeof hubs)[0]];
  const token = async (api: ApiClient) => {
    const res = await api.request('POST', '/api/v1/auth/login', {
      username: 'admin',
      password: ADMIN_PASSWORD,
    });
    return (res.body as { token: string }).token;
  };
  await a.api.login('admin', ADMIN_PASSWORD);
  const branch = await a.api.post<{ branch: { id: string } }>('/api/v1/branches', {
    slug: 'rasht',
    name: 'Rasht',
  });
  const { ticket } = await a.api.post<{ ticket: { id: string } }>('/api/v1/tickets', {
    subject: 'Packet capture of the drops',
    body: 'attached below',
    priority: 'normal',
    branchId: branch.branch.id,
  });
  // Larger than one chunk, so the download streams several rows.
  const content = randomBytes(700 * 1024);
  const put = await fetch(
    `${a.api.baseUrl}/api/v1/tickets/${ticket.id}/attachments?name=drops.zip`,
    {
      method: 'PUT',
      headers: { 'content-type': 'application/zip', authorization: `Bearer ${await token(a.api)}` },
      body: content,
    },
  );
  expect(put.status).toBe(201);
  const { attachment } = (await put.json()) as { attachment: { id: string } };

  const got = await fetch(
    `${b.api.baseUrl}/api/v1/tickets/${ticket.id}/attachments/${attachment.id}`,
    { headers: { authorization: `Bearer ${await token(b.api)}` } },
  );
  expect(got.status).toBe(200);
  expect(got.headers.get('content-disposition')).toContain('drops.zip');
  expect(Buffer.from(await got.arrayBuffer()).equals(content)).toBe(true);
  // Neither hub keeps the file in its data folder.
  for (const hub of hubs) {
    expect(await fs.readdir(hub.dataDir)).not.toContain('attachments');
  }
});
