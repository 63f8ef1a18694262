import { randomBytes } from 'node:crypto';
import http from 'node:http';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { ADMIN_PASSWORD, startTestHub, type TestHub } from '../../../test/support/hub.js';
import { CHUNK_BYTES } from './attachment-content.repository.js';

// A browser that drops a download halfway (a person cancels it, closes the tab) is normal: the
// hub logs it at debug with the route, writes nothing to stderr, and gives back what the
// download held (its chunk reads on the API pool).
interface LogLine {
  level: number;
  msg: string;
  route?: string;
  code?: string;
}
const lines: LogLine[] = [];
const logger = pino(
  { level: 'debug', base: null },
  { write: (line: string) => void lines.push(JSON.parse(line) as LogLine) },
);
let hub: TestHub;
let token: string;
let ticketId: string;
let attachmentId: string;
const SIZE = 32 * CHUNK_BYTES;

beforeAll(async () => {
  hub = await startTestHub({}, logger);
  const login = await fetch(`${hub.api.baseUrl}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'admin', password: ADMIN_PASSWORD }),
  });
  token = ((await login.json()) as { token: string }).token;
  const { branch } = await hub.api.post<{ branch: { id: string } }>('/api/v1/branches', {
    slug: 'quay',
    name: 'Quay',
  });
  ({
    ticket: { id: ticketId },
  } = await hub.api.post<{ ticket: { id: string } }>('/api/v1/tickets', {
    subject: 'Camera footage of the outage',
    body: 'attached',
    priority: 'normal',
    branchId: branch.id,
  }));
  const res = await fetch(
    `${hub.api.baseUrl}/api/v1/tickets/${ticketId}/attachments?name=footage.zip`,
    {
      method: 'PUT',
      headers: { 'content-type': 'application/zip', authorization: `Bearer ${token}` },
      body: randomBytes(SIZE),
    },
  );
  expect(res.status).toBe(201);
  attachmentId = ((await res.json()) as { attachment: { id: string } }).attachment.id;
}, 120_000);

afterAll(async () => {
  await hub?.stop();
});

/** The API pool's connections as /metrics reports them. */
async function apiPool() {
  const text = await (await fetch(`${hub.api.baseUrl}/metrics`)).text();
  const read = (state: string) =>
    Number(
      new RegExp(`^bw_db_pool_connections\\{pool="api",state="${state}"\\} (\\d+)$`, 'm').exec(
        text,
      )?.[1],
    );
  return { used: read('used'), pending: read('pending') };
}

/** Starts the download with node's HTTP client, takes its first bytes and hangs up. */
function downloadAndDrop(): Promise<number> {
  return new Promise((resolve, reject) => {
    const url = new URL(
      `${hub.api.baseUrl}/api/v1/tickets/${ticketId}/attachments/${attachmentId}`,
    );
    const req = http.get(url, { headers: { authorization: `Bearer ${token}` } }, (res) => {
      let received = 0;
      res.on('data', (piece: Buffer) => {
        received += piece.length;
        if (received >= CHUNK_BYTES) {
          req.destroy();
          resolve(received);
        }
      });
      res.on('end', () => reject(new Error('the whole file came before the client hung up')));
    });
    req.on('error', (err) => {
      if (!req.destroyed) reject(err);
    });
  });
}

describe('a download the client drops halfway', () => {
  it('is logged at debug with its route, not as an error, and gives back its connections', async () => {
    const stderr = vi.spyOn(console, 'error');
    try {
      const received = await Promise.all([downloadAndDrop(), downloadAndDrop(), downloadAndDrop()]);
      for (const bytes of received) expect(bytes).toBeLessThan(SIZE);
      const route = 'GET /api/v1/tickets/:id/attachments/:attachmentId';
      await expect
        .poll(() => lines.filter((l) => l.route === route && l.level === 20).length)
        .toBe(3);
      // Hung up while the hub waited for the socket (premature close) or wrote to it (EPIPE).
      for (const line of lines.filter((l) => l.route === route))
        expect(['ERR_STREAM_PREMATURE_CLOSE', 'EPIPE', 'ECONNRESET']).toContain(line.code);
      // Nothing dropped, nothing in use: every chunk read of the three downloads is done.
      await expect.poll(apiPool).toEqual({ used: 0, pending: 0 });
      expect(lines.filter((l) => l.level >= 50)).toEqual([]);
      expect(stderr).not.toHaveBeenCalled();
      // And the file still downloads whole.
      const whole = await fetch(
        `${hub.api.baseUrl}/api/v1/tickets/${ticketId}/attachments/${attachmentId}`,
        { headers: { authorization: `Bearer ${token}` } },
      );
      expect((await whole.arrayBuffer()).byteLength).toBe(SIZE);
    } finally {
      stderr.mockRestore();
    }
  });
});
