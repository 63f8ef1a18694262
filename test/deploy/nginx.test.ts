import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import mqtt from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { topics } from '@branchwatch/contract';
import { connectDatabase, freeLoopbackPort } from '@branchwatch/hub';
import { batch, tcpResult } from '../support/batches.js';
import { REPO, startNode, stop, type Started } from '../support/processes.js';
import { waitFor } from '../support/http.js';
import { ADMIN_PASSWORD, publish, startTestHub, type TestHub } from '../support/hub.js';
import { httpsGet, makeTestCertificates, type TestCertificates } from '../support/tls.js';

// deploy/nginx/branchwatch.conf with the real nginx (Debian) in front of a real hub, on
// loopback ports: the shipped file is used as is, only ports and certificate paths change.
const SHIPPED = path.join(REPO, 'deploy/nginx/branchwatch.conf');

let dir: string;
let certs: TestCertificates;
let t: TestHub;
let nginx: Started | undefined;
let httpsPort: number;
let httpPort: number;

function nginxConf(hubPort: number): string {
  const site = fs
    .readFileSync(SHIPPED, 'utf8')
    .replace('server 127.0.0.1:8080;', `server 127.0.0.1:${hubPort};`)
    .replace('listen 80;', `listen 127.0.0.1:${httpPort};`)
    .replace('listen [::]:80;', '')
    .replace('listen 443 ssl http2;', `listen 127.0.0.1:${httpsPort} ssl http2;`)
    .replace('listen [::]:443 ssl http2;', '')
    .replace('/etc/branchwatch/tls/fullchain.pem', certs.certFile)
    .replace('/etc/branchwatch/tls/privkey.pem', certs.keyFile);
  fs.writeFileSync(path.join(dir, 'branchwatch.conf'), site);
  return [
    `pid ${dir}/nginx.pid;`,
    `error_log ${dir}/error.log warn;`,
    'daemon off;',
    'worker_processes 1;',
    'events { worker_connections 64; }',
    'http {',
    `  access_log ${dir}/access.log;`,
    ...['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi'].map(
      (k) => `  ${k}_temp_path ${dir}/${k}_temp;`,
    ),
    `  include ${dir}/branchwatch.conf;`,
    '}',
    '',
  ].join('\n');
}

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bw-nginx-'));
  certs = makeTestCertificates(dir);
  t = await startTestHub({ BW_TRUSTED_PROXIES: '127.0.0.1' });
  [httpsPort, httpPort] = [await freeLoopbackPort(), await freeLoopbackPort()];
  const conf = path.join(dir, 'nginx.conf');
  fs.writeFileSync(conf, nginxConf(t.hub.httpPort));
  // -t first: the file as shipped is valid nginx syntax.
  execFileSync('nginx', ['-t', '-q', '-c', conf, '-p', dir], { stdio: 'pipe' });
  // nginx is not node: start it through a tiny node wrapper so that startNode/stop own it.
  const wrapper = path.join(dir, 'run-nginx.mjs');
  fs.writeFileSync(
    wrapper,
    `import { spawn } from 'node:child_process';
const child = spawn('nginx', ['-c', ${JSON.stringify(conf)}, '-p', ${JSON.stringify(dir)}], { stdio: 'inherit' });
for (const s of ['SIGTERM', 'SIGINT']) process.on(s, () => child.kill('SIGTERM'));
child.on('exit', (code) => process.exit(code ?? 0));
`,
  );
  nginx = startNode(wrapper, [], {}, path.join(dir, 'nginx.out'));
  await waitFor('nginx to listen', async () =>
    (await httpsGet(`https://127.0.0.1:${httpsPort}/readyz`, certs.ca)).status === 200
      ? true
      : undefined,
  );
});
afterAll(async () => {
  if (nginx) await stop(nginx);
  await t?.stop();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('nginx in front of the hub', () => {
  it('proxies /readyz and the UI over HTTPS with the security headers', async () => {
    const ready = await httpsGet(`https://127.0.0.1:${httpsPort}/readyz`, certs.ca);
    expect(ready.status).toBe(200);
    expect(ready.headers['strict-transport-security']).toBe('max-age=63072000');
    const ui = await httpsGet(`https://127.0.0.1:${httpsPort}/`, certs.ca, {
      headers: { accept: 'text/html' },
    });
    expect(ui.status).toBe(200);
    expect(ui.text).toContain('<div id="root">');
    // The hub's own headers pass through once (nginx adds none of them twice).
    expect(ui.headers['x-frame-options']).toBe('DENY');
    expect(ui.headers['x-content-type-options']).toBe('nosniff');
    expect(ui.headers['content-security-policy']).toContain("frame-ancestors 'none'");
  });

  it('marks session cookies Secure: nginx says https, and the hub trusts it', async () => {
    const login = await httpsGet(`https://127.0.0.1:${httpsPort}/api/v1/auth/login`, certs.ca, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'admin', password: ADMIN_PASSWORD }),
    });
    expect(login.status).toBe(200);
    const cookies = login.headers['set-cookie'] as string[];
    expect(cookies.length).toBeGreaterThanOrEqual(2);
    for (const cookie of cookies) expect(cookie.toLowerCase()).toContain('; secure');
  });

  it('redirects plain HTTP to HTTPS', async () => {
    const res = await fetch(`http://127.0.0.1:${httpPort}/tickets`, { redirect: 'manual' });
    expect(res.status).toBe(301);
    expect(res.headers.get('location')).toBe(`https://127.0.0.1/tickets`);
  });

  it('carries MQTT over WebSocket (wss:// /mqtt) to the hub', async () => {
    const issued = await t.api.createAgent('nginx-branch', 'nginx-agent');
    const client = await new Promise<mqtt.MqttClient>((resolve, reject) => {
      const c = mqtt.connect(`wss://127.0.0.1:${httpsPort}/mqtt`, {
        clientId: issued.credentials.username,
        username: issued.credentials.username,
        password: issued.credentials.password,
        protocolVersion: 4,
        reconnectPeriod: 0,
        connectTimeout: 10_000,
        ca: certs.ca,
      });
      c.once('connect', () => resolve(c));
      c.once('error', (err) => {
        c.end(true);
        reject(err);
      });
    });
    try {
      // PUBACK through the proxy means the hub stored the batch (docs/architecture.md "Delivery").
      const address = { tenant: 'default', branch: 'nginx-branch', agent: 'nginx-agent' };
      const at = new Date(Date.UTC(2026, 10, 21, 9, 0, 0));
      await publish(
        client,
        topics.results(address),
        JSON.stringify(batch('nginx-agent', 1, [tcpResult('web', at, true)])),
      );
      const db = connectDatabase(t.databaseUrl);
      const rows = await db('result_batches as b')
        .join('agents as a', 'a.id', 'b.agent_id')
        .where('a.slug', 'nginx-agent')
        .pluck('b.seq')
        .finally(() => db.destroy());
      expect(rows).toEqual([1]);
    } finally {
      client.end(true);
    }
  });
});
