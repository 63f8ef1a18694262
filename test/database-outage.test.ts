import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { createLogger, startEmbeddedPostgres } from '@branchwatch/hub';
import { waitFor } from './support/http.js';
import { settledLedger } from './support/ledger.js';
import { metric } from './support/metrics.js';
import { stop, type Started } from './support/processes.js';
import { createHubRig, spoolState, spooled, type HubRig } from './support/rig.js';
import { startTcpRelay, type TcpRelay } from './support/tcp-relay.js';

/**
 * The hub's PostgreSQL stops under a running hub and agent, and starts again. Meanwhile the
 * broker cannot check the agent's password and refuses its CONNECT with CONNACK 3 "Server
 * unavailable". Once the database is back, the agent must connect again by itself, without a
 * person restarting anything, and every batch it made must be stored exactly once.
 *
 * The database is a PostgreSQL server of this test's own (the run's shared one serves other
 * test files), behind a TCP relay on a fixed port: a restarted embedded PostgreSQL comes up on
 * another port, and the hub keeps the DATABASE_URL it started with.
 */
const ADMIN_PASSWORD = 'db-outage-admin-password';

let pgDir: string;
let database: { url: string; stop(): Promise<void> } | undefined;
let relay: TcpRelay;
let rig: HubRig;
let agent: Started | undefined;

const pgLogger = createLogger('warn');
const portOf = (url: string) => Number(new URL(url).port);

beforeAll(async () => {
  pgDir = await fs.mkdtemp(path.join(os.tmpdir(), 'bw-db-outage-pg-'));
  // PostgreSQL runs as user postgres when the test runs as root (embedded-postgres.ts).
  await fs.chmod(pgDir, 0o755);
  database = await startEmbeddedPostgres(pgDir, pgLogger);
  relay = await startTcpRelay(portOf(database.url));
  const databaseUrl = new URL(database.url);
  databaseUrl.port = String(relay.port);
  rig = await createHubRig('bw-db-outage-', ADMIN_PASSWORD, {
    databaseUrl: databaseUrl.toString(),
  });
});

afterAll(async () => {
  if (agent) await stop(agent);
  await rig?.close();
  await relay?.close();
  await database?.stop();
  await fs.rm(pgDir, { recursive: true, force: true });
});

it('an agent refused while the database is down connects again by itself once it is back', async () => {
  const { api, db, work } = rig;
  await rig.startHub(1);
  const hubUrl = api.baseUrl;
  await api.login('admin', ADMIN_PASSWORD);
  const issued = await api.createAgent('hq', 'srv-01');
  const config = parse(issued.config) as Record<string, unknown>;
  const spoolDir = path.join(work, 'spool');
  config.spool = { dir: spoolDir };
  config.batch = { intervalSeconds: 0.5 };
  config.checks = [
    {
      id: 'link',
      type: 'tcp',
      target: `127.0.0.1:${rig.targetPort}`,
      intervalSeconds: 0.5,
      timeoutSeconds: 0.4,
    },
  ];
  const file = path.join(work, 'agent.yaml');
  await fs.writeFile(file, stringify(config));
  agent = rig.startAgent(file);
  const storedBatches = async () => Number((await db('result_batches').count({ n: '*' }))[0]!.n);
  await waitFor('batches stored', async () => ((await storedBatches()) >= 3 ? true : undefined));

  // The database goes away. The agent's next batch fails to commit (its connection is closed,
  // [MQTT-3.3.5-2]), and its reconnects are refused: the broker cannot check its password.
  await database!.stop();
  database = undefined;
  await waitFor(
    'the broker to refuse the agent',
    async () => (/server unavailable/i.test(agent!.output()) ? true : undefined),
    60_000,
  );
  // Refused again and again for a while; the batches wait in the spool.
  await new Promise((r) => setTimeout(r, 8000));
  expect((await spooled(spoolDir)).length).toBeGreaterThan(5);

  database = await startEmbeddedPostgres(pgDir, pgLogger);
  relay.retarget(portOf(database.url));
  await waitFor(
    'the agent to connect again and empty its spool',
    async () => ((await spooled(spoolDir)).length <= 2 ? true : undefined),
    90_000,
  );
  expect(await metric(hubUrl, 'bw_mqtt_agents_connected')).toBe(1);
  expect(await stop(agent)).toEqual({ code: 0, signal: null });
  const log = agent.output();
  agent = undefined;

  // Every batch the agent made is stored once, or still in its spool (made at the stop, or in
  // flight then: stored, but its PUBACK not read; the next start sends it again, and the hub
  // keeps one copy).
  const settled = await settledLedger(db);
  const { nextSeq } = await spoolState(spoolDir);
  const seqs = (await db('result_batches').select('seq').orderBy('seq')).map(
    (r: { seq: string | number }) => Number(r.seq),
  );
  const left = await spooled(spoolDir);
  expect(new Set(seqs).size).toBe(seqs.length);
  expect([...new Set([...seqs, ...left])].sort((a, b) => a - b)).toEqual(
    Array.from({ length: nextSeq }, (_, i) => i),
  );
  expect(settled.results).toBe(settled.claimed);

  // Said once, not once per attempt: the refusal, then the connection with its attempt count.
  const lines = log
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as { msg: string; attempts?: number; downSeconds?: number });
  const refusals = lines.filter((l) => l.msg.includes('server unavailable'));
  expect(refusals.length).toBe(1);
  const back = lines.filter((l) => l.msg === 'connected to broker').at(-1)!;
  expect(back.attempts).toBeGreaterThan(2);
  console.log(
    `database outage: ${seqs.length} batches and ${settled.results} results stored, ` +
      `${left.length} left at the stop; the agent came back after ${back.attempts} attempts ` +
      `and ${back.downSeconds} s`,
  );
});
