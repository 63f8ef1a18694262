import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { topics } from '@branchwatch/contract';
import { connectDatabase, freeLoopbackPort, type Database } from '@branchwatch/hub';
import { runningEmbeddedUrl } from '../../hub/src/ops/hub-database.js';
import { batch, tcpResult } from '../support/batches.js';
import { ApiClient, waitFor } from '../support/http.js';
import { ADMIN_PASSWORD, connectAgent, publish } from '../support/hub.js';
import { HUB_BIN, REPO, startNode, stop, type Started } from '../support/processes.js';

// Backup, wipe, restore into a fresh hub, and find every ticket and measurement again
// (docs/disaster-recovery.md). Real hub processes on the embedded PostgreSQL.
const OPS_BIN = path.join(REPO, 'hub/bin/branchwatch-hub-ops.js');
const run = promisify(execFile);

let work: string;
let dataDir: string;
let hub: Started | undefined;
let env: Record<string, string>;

interface TicketView {
  id: string;
  number: number;
  subject: string;
  state: string;
  checkId: string;
}

async function startHubProcess(name: string): Promise<ApiClient> {
  const [httpPort, mqttPort] = [await freeLoopbackPort(), await freeLoopbackPort()];
  env = {
    BW_DATA_DIR: dataDir,
    BW_HTTP_HOST: '127.0.0.1',
    BW_HTTP_PORT: String(httpPort),
    BW_MQTT_HOST: '127.0.0.1',
    BW_MQTT_PORT: String(mqttPort),
    BW_ADMIN_PASSWORD: ADMIN_PASSWORD,
    // The rounds below are days old: the failing check must not expire (and its ticket be
    // resolved) while the test runs.
    BW_ALERT_EXPIRE_SECONDS: String(30 * 86400),
  };
  hub = startNode(HUB_BIN, [], env, path.join(work, `${name}.log`));
  const api = new ApiClient(`http://127.0.0.1:${httpPort}`);
  await waitFor(
    'the hub to be ready',
    async () => ((await api.get('/readyz')) ? true : undefined),
    120_000,
  );
  await api.login('admin', ADMIN_PASSWORD);
  return api;
}

/** The admin's bearer token for requests the ApiClient does not make (raw file bodies). */
async function bearer(): Promise<Record<string, string>> {
  const res = await fetch(`http://127.0.0.1:${env.BW_HTTP_PORT}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'admin', password: ADMIN_PASSWORD }),
  });
  return { authorization: `Bearer ${((await res.json()) as { token: string }).token}` };
}

function ops(...args: string[]) {
  const opsEnv = { PATH: process.env.PATH ?? '/usr/bin:/bin', BW_DATA_DIR: dataDir };
  return run(process.execPath, [OPS_BIN, ...args], { env: opsEnv, cwd: REPO, timeout: 150_000 });
}

/** Everything the test compares, read from the hub's own database. */
async function snapshot(db: Database) {
  const count = async (table: string) => Number((await db(table).count('* as n'))[0]!.n);
  return {
    tickets: await db('tickets').orderBy('number').select('id', 'number', 'subject', 'state'),
    ticketEvents: await count('ticket_events'),
    results: await db('check_results')
      .orderBy('at')
      .select('check_id', 'at', 'status', 'fields', 'batch_seq'),
    batches: await count('result_batches'),
    attachments: await db('ticket_attachments')
      .orderBy('id')
      .select('id', 'name', 'size', 'sha256'),
    attachmentChunks: await count('ticket_attachment_chunks'),
    agents: await db('agents').orderBy('slug').select('id', 'slug', 'password_hash'),
    users: await count('users'),
    ticketSequence: Number(
      (await db.raw(`SELECT last_value FROM ticket_number_seq`)).rows[0].last_value,
    ),
  };
}

beforeAll(async () => {
  work = await fs.mkdtemp(path.join(os.tmpdir(), 'bw-backup-'));
  // The embedded PostgreSQL runs as user postgres when the tests run as root.
  await fs.chmod(work, 0o755);
  dataDir = path.join(work, 'hub-data');
});
afterAll(async () => {
  if (hub) await stop(hub);
  await fs.rm(work, { recursive: true, force: true });
});

describe('backup and restore', () => {
  it('restores every ticket and measurement into a wiped hub', async () => {
    let api = await startHubProcess('hub-before');
    const issued = await api.createAgent('dr-branch', 'dr-agent');
    const agent = await connectAgent(`mqtt://127.0.0.1:${env.BW_MQTT_PORT}`, issued.credentials);
    const address = { tenant: 'default', branch: 'dr-branch', agent: 'dr-agent' };
    // Three days ago at 08:00 UTC: inside retention whenever the test runs.
    const start = Math.floor(Date.now() / 86400_000 - 3) * 86400_000 + 8 * 3600_000;
    // Three days of rounds, so that several day partitions hold data; 'web' fails and opens a
    // ticket through the incident flow, 'dns' stays good.
    let seq = 0;
    for (const day of [0, 1, 2]) {
      const at = (s: number) => new Date(start + day * 86400_000 + s * 1000);
      const results = [0, 60, 120, 180].flatMap((s) => [
        tcpResult('dns', at(s), true),
        tcpResult('web', at(s), day !== 2),
      ]);
      await publish(
        agent,
        topics.results(address),
        JSON.stringify(batch('dr-agent', ++seq, results)),
      );
    }
    agent.end(true);
    const opened = await waitFor('a ticket for the failing check', async () => {
      const { items } = await api.get<{ items: TicketView[] }>('/api/v1/tickets');
      return items.length > 0 ? items : undefined;
    });

    const embeddedUrl = runningEmbeddedUrl(dataDir)!;
    let db = connectDatabase(embeddedUrl);
    // The rounds are days old, so the hub soon notes on the ticket that its check went silent
    // (stale). Wait for that note: the backup must hold it, and the restored hub, which finds
    // the check already stale, must not write it again.
    await waitFor('the stale note on the ticket', async () => {
      const notes = await db('ticket_events').whereRaw(`data->'text'->>'kind' = 'stale'`);
      return notes.length > 0 ? true : undefined;
    });
    await db.destroy();

    // An attachment of several chunks: its content is rows of the database, backed up with it.
    const trace = randomBytes(600 * 1024);
    const put = await fetch(
      `${api.baseUrl}/api/v1/tickets/${opened[0]!.id}/attachments?name=trace.pcap`,
      {
        method: 'PUT',
        headers: { 'content-type': 'application/vnd.tcpdump.pcap', ...(await bearer()) },
        body: trace,
      },
    );
    expect(put.status).toBe(201);
    const { attachment } = (await put.json()) as { attachment: { id: string } };
    expect(existsSync(path.join(dataDir, 'attachments'))).toBe(false);

    db = connectDatabase(embeddedUrl);
    const before = await snapshot(db);
    await db.destroy();
    expect(before.tickets.length).toBeGreaterThanOrEqual(opened.length);
    expect(before.results).toHaveLength(24);
    expect(before.attachmentChunks).toBe(3);

    // Online backup, while the hub runs.
    const archive = path.join(work, 'backups', 'hub.tar.gz');
    const backup = await ops('backup', '--out', archive);
    expect(backup.stdout).toMatch(
      /backup written to .*hub\.tar\.gz: \d+ tables, \d+ rows, 1 attachments/,
    );
    expect((await fs.stat(archive)).mode & 0o777).toBe(0o600);

    await stop(hub!);
    await fs.rm(dataDir, { recursive: true, force: true });

    const restored = await ops('restore', '--in', archive);
    expect(restored.stdout).toContain('restored');
    // Refused the second time: the hub is no longer empty.
    const again = await ops('restore', '--in', archive).then(
      () => 'accepted',
      (err: { stderr: string; code: number }) => `${err.code} ${err.stderr}`,
    );
    expect(again).toMatch(/^1 .*not empty/);

    api = await startHubProcess('hub-after');
    db = connectDatabase(runningEmbeddedUrl(dataDir)!);
    try {
      const after = await snapshot(db);
      expect(after).toEqual(before);
      const file = await fetch(
        `${api.baseUrl}/api/v1/tickets/${opened[0]!.id}/attachments/${attachment.id}`,
        { headers: await bearer() },
      );
      expect(file.status).toBe(200);
      expect(Buffer.from(await file.arrayBuffer()).equals(trace)).toBe(true);
      // The API serves the restored tickets, and new tickets continue the number sequence.
      const { items } = await api.get<{ items: TicketView[] }>('/api/v1/tickets');
      expect(items.map((t) => t.id).sort()).toEqual(before.tickets.map((t) => t.id).sort());
      // The restored agent logs in with its old credentials.
      const back = await connectAgent(`mqtt://127.0.0.1:${env.BW_MQTT_PORT}`, issued.credentials);
      back.end(true);
    } finally {
      await db.destroy();
    }
  });
});
