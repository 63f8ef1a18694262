import fs from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { MAX_RESULTS_BYTES } from '@branchwatch/contract';
import type { Database } from '@branchwatch/hub';
import type { ApiClient } from './support/http.js';
import { waitFor } from './support/http.js';
import { settledLedger } from './support/ledger.js';
import { stop, type Started } from './support/processes.js';
import { createHubRig, spoolState, spooled, type HubRig } from './support/rig.js';

/**
 * A branch link down for a while (the hub unreachable), the agent restarted in the middle of
 * it, and more measured than the spool may hold: after reconnecting, every kept result arrives
 * exactly once and in order, the spool dropped the oldest batches, and the hub is told how many.
 */
const ADMIN_PASSWORD = 'outage-admin-password';

let rig: HubRig;
let work: string;
let db: Database;
let api: ApiClient;
let hub: Started | undefined;
let agent: Started | undefined;

beforeAll(async () => {
  rig = await createHubRig('bw-outage-', ADMIN_PASSWORD);
  ({ work, db, api } = rig);
});

afterAll(() => rig?.close());

const startHub = (run: number) => rig.startHub(run);

it('loses nothing it kept, repeats nothing, keeps order, and reports what the bound dropped', async () => {
  hub = await startHub(1);
  await api.login('admin', ADMIN_PASSWORD);
  const issued = await api.createAgent('hq', 'srv-01');
  const config = parse(issued.config) as Record<string, unknown>;
  const spoolDir = path.join(work, 'spool');
  const port = rig.targetPort;
  // The smallest spool allowed, and enough checks to overflow it within seconds.
  config.spool = { dir: spoolDir, maxBytes: MAX_RESULTS_BYTES };
  config.batch = { intervalSeconds: 0.2 };
  config.concurrency = 32;
  config.checks = Array.from({ length: 40 }, (_, i) => ({
    id: `c${i}`,
    type: 'tcp',
    target: `127.0.0.1:${port}`,
    intervalSeconds: 0.05,
    timeoutSeconds: 1,
  }));
  const file = path.join(work, 'agent.yaml');
  await fs.writeFile(file, stringify(config));
  agent = rig.startAgent(file);
  const stored = async () => Number((await db('result_batches').count({ n: '*' }))[0]!.n);
  await waitFor('batches stored', async () => ((await stored()) >= 10 ? true : undefined));

  // The link goes down; in the middle of the outage the agent restarts.
  await stop(hub);
  hub = undefined;
  const lastBefore = Number((await db('result_batches').max({ m: 'seq' }))[0]!.m);
  await new Promise((r) => setTimeout(r, 2000));
  expect(await stop(agent)).toEqual({ code: 0, signal: null });
  agent = rig.startAgent(file);
  await waitFor(
    'the spool to overflow its bound',
    async () => ((await spoolState(spoolDir)).droppedBatches > 0 ? true : undefined),
    60_000,
  );
  await new Promise((r) => setTimeout(r, 1000));

  // Batches dropped while nothing was sent: the oldest unsent ones, one run of seqs. Once the
  // hub is back the agent may still drop the oldest unsent batch while it drains (a slow
  // machine measures faster than it sends): those are counted from here.
  const droppedInOutage = (await spoolState(spoolDir)).droppedBatches;
  hub = await startHub(2);
  await waitFor(
    'the spool to drain',
    async () => ((await spooled(spoolDir)).length <= 3 ? true : undefined),
    60_000,
  );
  expect(await stop(agent)).toEqual({ code: 0, signal: null });
  agent = undefined;
  const settled = await settledLedger(db);

  const state = await spoolState(spoolDir);
  const pending = await spooled(spoolDir);
  const rows = await db('result_batches')
    .select('seq', 'result_count', 'replayed')
    .orderBy([{ column: 'received_at' }, { column: 'seq' }]);
  const storedSeqs = rows.map((r: { seq: number }) => r.seq);
  const made = Array.from({ length: state.nextSeq - storedSeqs[0]! }, (_, i) => storedSeqs[0]! + i);
  const accounted = new Set([...storedSeqs, ...pending]);
  const missing = made.filter((seq) => !accounted.has(seq));

  // Only dropped batches are missing, and they are the oldest ones not yet stored. (The bound
  // may also have dropped batches the hub had stored just before it went away without getting
  // their PUBACK out: those are dropped from the spool but not missing.)
  expect(missing.length).toBeGreaterThan(0);
  expect(missing.length).toBeLessThanOrEqual(state.droppedBatches);
  expect(Math.min(...missing)).toBe(lastBefore + 1);
  const run = missing.findIndex((seq, i) => seq !== lastBefore + 1 + i);
  const later = run === -1 ? [] : missing.slice(run);
  expect(later.length).toBeLessThanOrEqual(state.droppedBatches - droppedInOutage);
  // Stored once each, every result of every stored batch there once.
  expect(new Set(storedSeqs).size).toBe(storedSeqs.length);
  const results = settled.results;
  // Per batch: the rows stored under its seq against the count it announced.
  const perBatch = await db.raw(
    `SELECT b.seq, b.result_count, count(r.*)::int AS stored
     FROM result_batches b LEFT JOIN check_results r ON r.batch_seq = b.seq
     GROUP BY b.seq, b.result_count HAVING count(r.*) <> b.result_count ORDER BY b.seq`,
  );
  const orphans = await db.raw(
    `SELECT batch_seq, count(*)::int AS n FROM check_results r
     WHERE NOT EXISTS (SELECT 1 FROM result_batches b WHERE b.seq = r.batch_seq)
     GROUP BY batch_seq ORDER BY batch_seq`,
  );
  expect({ mismatched: perBatch.rows, orphans: orphans.rows }).toEqual({
    mismatched: [],
    orphans: [],
  });
  expect(results).toBe(
    rows.reduce((n: number, r: { result_count: number }) => n + r.result_count, 0),
  );
  // In order: the hub received the batches in the order the agent made them.
  expect(storedSeqs).toEqual([...storedSeqs].sort((a, b) => a - b));
  // The late ones say so.
  expect(
    rows.filter((r: { seq: number; replayed: boolean }) => r.seq > lastBefore && r.replayed).length,
  ).toBeGreaterThan(0);
  // The hub was told what the bound dropped.
  const { items } = await api.get<{
    items: { id: string; spool: { droppedBatches: number; droppedResults: number } | null }[];
  }>('/api/v1/agents');
  expect(items.find((a) => a.id === issued.agent.id)?.spool?.droppedBatches).toBe(
    state.droppedBatches,
  );
  console.log(
    `outage: ${storedSeqs.length} batches and ${results} results stored; the 1 MiB bound dropped ` +
      `${state.droppedBatches} oldest batches, ${missing.length} of them never stored; ${pending.length} left at stop`,
  );
});
