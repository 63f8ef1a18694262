import fs from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { connectDatabase, freeLoopbackPort, type Database } from '@branchwatch/hub';
import { createTestDatabase } from './support/database.js';
import { ApiClient, waitFor } from './support/http.js';
import { settledLedger } from './support/ledger.js';
import { AGENT_BIN, HUB_BIN, startNode, stop, type Started } from './support/processes.js';

/**
 * Nothing acknowledged is lost, nothing counted twice (DESIGN.md "Delivery"): the hub is killed
 * with SIGKILL while the agent publishes, then started again; every batch the agent made must
 * be stored exactly once.
 */
const ADMIN_PASSWORD = 'delivery-admin-password';

let work: string;
let db: Database;
let hub: Started | undefined;
let agent: Started | undefined;
let target: net.Server;
let env: Record<string, string>;
let api: ApiClient;

beforeAll(async () => {
  work = await fs.mkdtemp(path.join(os.tmpdir(), 'bw-delivery-'));
  const databaseUrl = await createTestDatabase();
  db = connectDatabase(databaseUrl);
  const [httpPort, mqttPort] = [await freeLoopbackPort(), await freeLoopbackPort()];
  env = {
    DATABASE_URL: databaseUrl,
    BW_HTTP_HOST: '127.0.0.1',
    BW_HTTP_PORT: String(httpPort),
    BW_MQTT_HOST: '127.0.0.1',
    BW_MQTT_PORT: String(mqttPort),
    BW_ADMIN_PASSWORD: ADMIN_PASSWORD,
  };
  api = new ApiClient(`http://127.0.0.1:${httpPort}`);
  target = net.createServer((socket) => socket.end());
  await new Promise<void>((resolve) => target.listen(0, '127.0.0.1', resolve));
});

afterAll(async () => {
  if (agent) await stop(agent);
  if (hub) await stop(hub);
  target?.close();
  await db?.destroy();
  if (work) await fs.rm(work, { recursive: true, force: true });
});

async function startHub(run: number): Promise<Started> {
  const started = startNode(HUB_BIN, [], env, path.join(work, `hub-${run}.log`));
  await waitFor('the hub to be ready', async () => ((await api.get('/readyz')) ? true : undefined));
  return started;
}

/** Sequence numbers of the batches in the agent's spool (files named by zero-padded seq). */
const spooled = async (dir: string) =>
  (await fs.readdir(dir))
    .filter((f) => /^\d{16}\.json$/.test(f))
    .map((f) => Number(f.slice(0, 16)));

const storedBatches = async () => Number((await db('result_batches').count({ n: '*' }))[0]!.n);

it('stores every batch exactly once across a hub killed with SIGKILL', async () => {
  hub = await startHub(1);
  await api.login('admin', ADMIN_PASSWORD);
  const issued = await api.createAgent('hq', 'srv-01');
  const config = parse(issued.config) as Record<string, unknown>;
  const spoolDir = path.join(work, 'spool');
  const port = (target.address() as net.AddressInfo).port;
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
  agent = startNode(AGENT_BIN, ['run', '--config', file], {}, path.join(work, 'agent.log'));

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
  const state = JSON.parse(await fs.readFile(path.join(spoolDir, 'state.json'), 'utf8')) as {
    nextSeq: number;
    droppedBatches: number;
  };
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
