import fs from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import type { Database } from '@branchwatch/hub';
import type { ApiClient } from './support/http.js';
import { waitFor } from './support/http.js';
import { settledLedger } from './support/ledger.js';
import { stop, type Started } from './support/processes.js';
import { createHubRig, spoolState, spooled, type HubRig } from './support/rig.js';

/**
 * Nothing acknowledged is lost, nothing counted twice (docs/architecture.md "Delivery"): the hub is killed
 * with SIGKILL while the agent publishes, then started again; every batch the agent made must
 * be stored exactly once.
 */
const ADMIN_PASSWORD = 'delivery-admin-password';

let rig: HubRig;
let work: string;
let db: Database;
let api: ApiClient;
let hub: Started | undefined;
let agent: Started | undefined;

beforeAll(async () => {
  rig = await createHubRig('bw-delivery-', ADMIN_PASSWORD);
  ({ work, db, api } = rig);
});

afterAll(() => rig?.close());

const startHub = (run: number) => rig.startHub(run);

const storedBatches = async () => Number((await db('result_batches').count({ n: '*' }))[0]!.n);

it('stores every batch exactly once across a hub killed with SIGKILL', async () => {
  hub = await startHub(1);
  await api.login('admin', ADMIN_PASSWORD);
  const issued = await api.createAgent('hq', 'srv-01');
  const config = parse(issued.config) as Record<string, unknown>;
  const spoolDir = path.join(work, 'spool');
  const port = rig.targetPort;
  config.spool = { dir: spoolDir };
  config.batch = { intervalSeconds: 0.1 };
  config.checks = ['a', 'b', 'c', 'd'].map((id) => ({
    id,
    type: 'tcp',
    target: `127.0.0.1:${port}`,
    intervalSeconds: 0.1,
    timeoutSeconds: 1,
  }));
  const file = path.join(work, 'agent.yaml');
  await fs.writeFile(file, stringify(config));
  agent = rig.startAgent(file);

  await waitFor('20 batches stored', async () =>
    (await storedBatches()) >= 20 ? true : undefined,
  );
  const killed = await stop(hub, 'SIGKILL');
  expect(killed.signal).toBe('SIGKILL');
  const beforeRestart = await storedBatches();

  // The agent keeps measuring while the hub is gone; its spool holds the batches.
  await new Promise((r) => setTimeout(r, 2000));
  hub = await startHub(2);
  await waitFor('batches stored after the restart', async () =>
    (await storedBatches()) >= beforeRestart + 20 ? true : undefined,
  );
  // Let the agent drain what it held during the outage before stopping it.
  await waitFor('the spool drained', async () =>
    (await spooled(spoolDir)).length <= 2 ? true : undefined,
  );

  expect(await stop(agent)).toEqual({ code: 0, signal: null });
  agent = undefined;
  const settled = await settledLedger(db);
  // The agent's own ledger: the next sequence number, and what it still holds unacknowledged.
  const state = await spoolState(spoolDir);
  const pending = await spooled(spoolDir);
  expect(state.droppedBatches).toBe(0);

  const rows = await db('result_batches').select('seq', 'result_count', 'replayed').orderBy('seq');
  const stored = rows.map((r: { seq: number }) => r.seq);
  const made = Array.from({ length: state.nextSeq - stored[0]! }, (_, i) => stored[0]! + i);
  // Every batch the agent made is stored or still in its spool: nothing was lost. A batch in
  // the spool may be stored too (committed, but the stop came before its PUBACK); the next
  // send of it is then counted as a duplicate, not stored again.
  expect([...new Set([...stored, ...pending])].sort((a, b) => a - b)).toEqual(made);
  expect(new Set(stored).size).toBe(stored.length);
  // Every result of every stored batch is there, once.
  const expectedResults = rows.reduce(
    (n: number, r: { result_count: number }) => n + r.result_count,
    0,
  );
  const results = settled.results;
  expect(results).toBe(expectedResults);
  // Batches held back while the hub was down arrived marked as replayed.
  expect(rows.some((r: { replayed: boolean }) => r.replayed)).toBe(true);
  console.log(
    `delivery: ${stored.length} batches, ${results} results stored; ${beforeRestart} before the kill; ` +
      `${rows.filter((r: { replayed: boolean }) => r.replayed).length} replayed; ${pending.length} left in the spool at stop`,
  );
});
