import { createHash, randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectDatabase, type Database } from '../db/database.js';
import { ADMIN_PASSWORD, startTestHub, type TestHub } from '../../../test/support/hub.js';
import { CHUNK_BYTES } from './attachment-content.repository.js';

// Attachments live in PostgreSQL, in chunks (docs/decisions.md "Attachments in the database"):
// nothing lands in the data folder, and the files an older hub kept there move in at start.
let work: string;
let a: TestHub;
let db: Database;
let token: string;
let ticketId: string;

async function signIn(baseUrl: string): Promise<string> {
  const res = await fetch(`${baseUrl}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'admin', password: ADMIN_PASSWORD }),
  });
  return ((await res.json()) as { token: string }).token;
}

const upload = (baseUrl: string, name: string, body: Buffer) =>
  fetch(`${baseUrl}/api/v1/tickets/${ticketId}/attachments?name=${name}`, {
    method: 'PUT',
    headers: { 'content-type': 'application/zip', authorization: `Bearer ${token}` },
    body,
  });
const download = (baseUrl: string, id: string) =>
  fetch(`${baseUrl}/api/v1/tickets/${ticketId}/attachments/${id}`, {
    headers: { authorization: `Bearer ${token}` },
  });

beforeAll(async () => {
  work = await fs.mkdtemp(path.join(os.tmpdir(), 'bw-attachments-'));
  a = await startTestHub({ BW_DATA_DIR: path.join(work, 'a') });
  db = connectDatabase(a.databaseUrl, { min: 0, max: 2 });
  token = await signIn(a.api.baseUrl);
  const branchId = (
    await a.api.post<{ branch: { id: string } }>('/api/v1/branches', { slug: 'kish', name: 'Kish' })
  ).branch.id;
  ticketId = (
    await a.api.post<{ ticket: { id: string } }>('/api/v1/tickets', {
      subject: 'Capture of the outage',
      body: 'attached',
      priority: 'normal',
      branchId,
    })
  ).ticket.id;
}, 120_000);
afterAll(async () => {
  await db?.destroy();
  await a?.stop();
  await fs.rm(work, { recursive: true, force: true });
});

describe('attachments in the database', () => {
  it('stores a file of several chunks in rows and streams it back whole', async () => {
    const content = randomBytes(2 * CHUNK_BYTES + 12_345);
    const res = await upload(a.api.baseUrl, 'capture.zip', content);
    expect(res.status).toBe(201);
    const { attachment } = (await res.json()) as { attachment: { id: string; size: number } };
    expect(attachment.size).toBe(content.length);

    const chunks = await db('ticket_attachment_chunks')
      .where({ attachment_id: attachment.id })
      .orderBy('seq')
      .select('seq', db.raw('octet_length(data) AS bytes'));
    expect(chunks).toEqual([
      { seq: 0, bytes: CHUNK_BYTES },
      { seq: 1, bytes: CHUNK_BYTES },
      { seq: 2, bytes: 12_345 },
    ]);
    const row = await db('ticket_attachments').where({ id: attachment.id }).first();
    expect(row.sha256).toBe(createHash('sha256').update(content).digest('hex'));
    // Nothing of it stays on this hub's disk: not in attachments/, not in the upload staging.
    expect(existsSync(path.join(work, 'a', 'attachments'))).toBe(false);
    expect(await fs.readdir(path.join(work, 'a', 'uploads'))).toEqual([]);

    const back = await download(a.api.baseUrl, attachment.id);
    expect(back.status).toBe(200);
    expect(back.headers.get('content-length')).toBe(String(content.length));
    expect(Buffer.from(await back.arrayBuffer()).equals(content)).toBe(true);
  });

  it("moves an older hub's files into the database when a hub starts on its data folder", async () => {
    // What a hub before the move left: rows without content, files named by their hash.
    const older = path.join(work, 'older');
    await fs.mkdir(path.join(older, 'attachments'), { recursive: true });
    const kept = Buffer.from('pcap bytes of an older hub');
    const sha = createHash('sha256').update(kept).digest('hex');
    await fs.writeFile(path.join(older, 'attachments', sha), kept);
    const record = async (name: string, sha256: string, size: number) =>
      (
        await db('ticket_attachments')
          .insert({ ticket_id: ticketId, name, mime_type: 'text/plain', size, sha256 })
          .returning('id')
      )[0].id as string;
    const twice = [await record('one.txt', sha, kept.length), await record('two.txt', sha, 26)];
    const lost = await record('lost.txt', 'f'.repeat(64), 5);

    // Before the move, hub a has no content for them and says why.
    const early = await download(a.api.baseUrl, twice[0]!);
    expect(early.status).toBe(409);
    expect(((await early.json()) as { error: { code: string } }).error.code).toBe(
      'BW_ERR_ATTACHMENT_NOT_MOVED',
    );

    const b = await startTestHub({ DATABASE_URL: a.databaseUrl, BW_DATA_DIR: older });
    try {
      for (const id of twice) {
        const res = await download(a.api.baseUrl, id);
        expect(res.status).toBe(200);
        expect(await res.text()).toBe('pcap bytes of an older hub');
      }
      // Moved files leave the data folder; the folder goes once empty.
      expect(existsSync(path.join(older, 'attachments'))).toBe(false);
      expect((await download(a.api.baseUrl, lost)).status).toBe(409);
    } finally {
      await b.stop();
    }
  });
});
