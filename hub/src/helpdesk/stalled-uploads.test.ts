import net from 'node:net';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { topics } from '@branchwatch/contract';
import { batch, tcpResult } from '../../../test/support/batches.js';
import { ApiClient } from '../../../test/support/http.js';
import {
  ADMIN_PASSWORD,
  connectAgent,
  publish,
  startTestHub,
  type TestHub,
} from '../../../test/support/hub.js';

/**
 * Uploads that announce a megabyte, send ten bytes and hold must not stall anyone else: their
 * bodies are received before the request's transaction begins (http/staged-upload.ts), and API
 * requests use a pool of their own, apart from ingest's. While twelve such uploads are open,
 * another tenant's ticket list, a login, /readyz and an agent's PUBACK are all served.
 */
let t: TestHub;
const held: net.Socket[] = [];
beforeAll(async () => {
  t = await startTestHub();
});
afterAll(async () => {
  for (const socket of held) socket.destroy();
  await t?.stop();
});

/** Opens a PUT of an attachment announcing 1 MB, sends 10 bytes of it, and holds. */
function stalledUpload(token: string, ticketId: string): Promise<net.Socket> {
  const { port } = new URL(t.api.baseUrl);
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host: '127.0.0.1', port: Number(port) }, () => {
      socket.write(
        `PUT /api/v1/tickets/${ticketId}/attachments?name=big.txt HTTP/1.1\r\n` +
          `Host: 127.0.0.1\r\nAuthorization: Bearer ${token}\r\n` +
          `Content-Type: text/plain\r\nContent-Length: 1000000\r\n\r\n0123456789`,
      );
      resolve(socket);
    });
    socket.once('error', reject);
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => answers.set(socket, (answers.get(socket) ?? '') + chunk));
  });
}
const answers = new Map<net.Socket, string>();

/** A request that must be served within `ms`; rejects when it is not. */
async function served(what: string, request: (signal: AbortSignal) => Promise<number>) {
  const status = await request(AbortSignal.timeout(20_000)).catch((err: Error) => {
    throw new Error(`${what} was not served while the uploads hold: ${err.message}`);
  });
  return [what, status];
}

it("twelve stalled uploads leave another tenant's requests and an agent's PUBACK served", async () => {
  const { tenant } = await t.api.post<{ tenant: { id: string } }>('/api/v1/tenants', {
    slug: 'uploaders',
    name: 'Uploaders',
  });
  const { branch } = await t.api.post<{ branch: { id: string } }>('/api/v1/branches', {
    slug: 'uploaders-hq',
    tenant: 'uploaders',
  });
  const { ticket } = await t.api.post<{ ticket: { id: string } }>('/api/v1/tickets', {
    branchId: branch.id,
    subject: 'logs',
    body: 'attached below',
  });
  // Six people, two uploads each: as many as one person may send at once.
  const tokens: string[] = [];
  for (let i = 0; i < 6; i++) {
    const username = `uploader-${i}`;
    await t.api.post('/api/v1/users', {
      username,
      password: 'uploader-password',
      role: 'support_agent',
      tenantId: tenant.id,
    });
    const login = await new ApiClient(t.api.baseUrl).request('POST', '/api/v1/auth/login', {
      username,
      password: 'uploader-password',
    });
    tokens.push((login.body as { token: string }).token);
  }
  // An agent of another tenant (the default one), connected before the uploads begin.
  const issued = await t.api.createAgent('other-hq', 'other-01');
  const agent = await connectAgent(t.mqttUrl, issued.credentials);

  for (const token of tokens) {
    for (let i = 0; i < 2; i++) held.push(await stalledUpload(token, ticket.id));
  }
  // Let every upload reach the hub and start waiting for its body.
  await new Promise((r) => setTimeout(r, 1000));

  const other = new ApiClient(t.api.baseUrl);
  const results = [
    await served('login', async (signal) => {
      const res = await fetch(`${t.api.baseUrl}/api/v1/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username: 'admin', password: ADMIN_PASSWORD }),
        signal,
      });
      const { token } = (await res.json()) as { token: string };
      (other as unknown as { token: string }).token = token;
      return res.status;
    }),
    await served('GET /api/v1/tickets', async (signal) => {
      const res = await fetch(`${t.api.baseUrl}/api/v1/tickets`, {
        headers: { authorization: `Bearer ${(other as unknown as { token: string }).token}` },
        signal,
      });
      return res.status;
    }),
    await served(
      '/readyz',
      async (signal) => (await fetch(`${t.api.baseUrl}/readyz`, { signal })).status,
    ),
    await served('an agent batch', async () => {
      const address = { tenant: 'default', branch: 'other-hq', agent: 'other-01' };
      const payload = JSON.stringify(batch('other-01', 1, [tcpResult('web', new Date(), true)]));
      await Promise.race([
        publish(agent, topics.results(address), payload),
        new Promise((_, reject) => setTimeout(() => reject(new Error('no PUBACK')), 20_000)),
      ]);
      return 0;
    }),
  ];
  expect(results).toEqual([
    ['login', 200],
    ['GET /api/v1/tickets', 200],
    ['/readyz', 200],
    ['an agent batch', 0],
  ]);
  // ...while every one of the twelve uploads is still open and unanswered.
  expect(held.filter((s) => !s.destroyed && !answers.has(s))).toHaveLength(12);

  // A third upload of the same person is refused at once.
  const third = await stalledUpload(tokens[0]!, ticket.id);
  held.push(third);
  await new Promise<void>((resolve) => {
    const check = () =>
      answers.get(third)?.includes('\r\n\r\n') ? resolve() : setTimeout(check, 50);
    check();
  });
  expect(answers.get(third)).toMatch(/^HTTP\/1\.1 429/);
  expect(answers.get(third)).toMatch(/BW_ERR_TOO_MANY_UPLOADS/);
  agent.end(true);
});
