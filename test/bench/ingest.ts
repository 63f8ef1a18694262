/**
 * Ingest benchmark (`pnpm bench:ingest [-- --external [--ingest-workers 2]] [--agents 20 --batches 100 --results 50] [--profile-hub DIR] [--from-sources]`),
 * not part of `pnpm test`. Simulated agents publish result batches through MQTT (the embedded
 * broker, or mosquitto with --external) to the real hub; the figure is samples (results) per
 * second from the first publish until the last row is committed. In the same run as many rows
 * go into the same table (check_results: its partitions, primary key and foreign key) by raw
 * `COPY … FROM STDIN` (text format, one stream, through the pg client's copy-in protocol), and
 * the ratio is printed (goal ≥ 0.5); then, for reference, into a plain table of the same shape.
 */
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { parseArgs } from 'node:util';
import mqtt from 'mqtt';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { topics } from '@branchwatch/contract';
import { createAgents, startBenchHub, until } from './hub-bench.js';

const { values: args } = parseArgs({
  args: process.argv.slice(2).filter((a) => a !== '--'),
  options: {
    external: { type: 'boolean', default: false },
    agents: { type: 'string', default: '20' },
    batches: { type: 'string', default: '100' },
    results: { type: 'string', default: '50' },
    window: { type: 'string', default: '10' },
    // With --external: the hub's MQTT 5 ingest clients (each takes one message at a time).
    'ingest-workers': { type: 'string', default: '2' },
    // Writes a CPU profile of the hub (node --cpu-prof) into this folder.
    'profile-hub': { type: 'string' },
    // The hub from its TypeScript sources through tsx instead of its build (hub/dist).
    'from-sources': { type: 'boolean', default: false },
  },
});
const AGENTS = Number(args.agents);
const BATCHES = Number(args.batches);
const RESULTS = Number(args.results);
const WINDOW = Number(args.window);
const TOTAL = AGENTS * BATCHES * RESULTS;

const bench = await startBenchHub({
  external: args.external,
  env: { BW_MQTT_INGEST_WORKERS: args['ingest-workers'] },
  nodeArgs: args['profile-hub']
    ? ['--cpu-prof', `--cpu-prof-dir=${args['profile-hub']}`]
    : undefined,
  fromSources: args['from-sources'],
});
try {
  const agents = await createAgents(bench.baseUrl, AGENTS);
  await bench.refreshBrokerAuth();
  // The hub closes an agent's connection when it cannot store a batch (a deadlock that
  // storing the group batch by batch did not get past, the database away): like agents, the
  // clients reconnect and mqtt.js sends the unacknowledged batches again.
  let reconnects = 0;
  const clients = await Promise.all(
    agents.map(
      (a) =>
        new Promise<mqtt.MqttClient>((resolve, reject) => {
          const c = mqtt.connect(bench.agentUrl, {
            clientId: a.username,
            username: a.username,
            password: a.password,
            protocolVersion: 4,
            reconnectPeriod: 1000,
          });
          c.on('reconnect', () => reconnects++);
          c.once('connect', () => resolve(c));
          c.once('error', reject);
        }),
    ),
  );
  const t0 = Date.now() - 6 * 3600_000;
  const payload = (agent: string, seq: number) =>
    JSON.stringify({
      v: 1,
      agent,
      seq,
      sentAt: new Date().toISOString(),
      replayed: false,
      results: Array.from({ length: RESULTS }, (_, k) => ({
        check: `icmp-${k}`,
        type: 'icmp',
        target: `10.0.${k >> 8}.${k & 255}`,
        at: new Date(t0 + seq * 1000).toISOString(),
        status: 'ok',
        fields: {
          sent: 20,
          received: 20,
          loss: 0,
          min: 1.1,
          median: 2.2,
          p95: 3.3,
          max: 4.4,
          jitter: 0.5,
        },
      })),
    });
  const cpuBefore = bench.cpuSeconds();
  const started = Date.now();
  await Promise.all(
    clients.map(async (client, i) => {
      const a = agents[i]!;
      let next = 1;
      const lane = async () => {
        while (next <= BATCHES) {
          const seq = next++;
          await new Promise<void>((resolve, reject) =>
            client.publish(
              topics.results(a.address),
              payload(a.address.agent, seq),
              { qos: 1 },
              (e) => (e ? reject(e) : resolve()),
            ),
          );
        }
      };
      await Promise.all(Array.from({ length: WINDOW }, lane));
    }),
  );
  const published = Date.now();
  // The ledger: a batch's row commits with its results. Counting check_results instead cost
  // PostgreSQL a scan of every stored round 20 times a second, charged to the ingest's CPU.
  const count = async (table: string) => Number((await bench.db(table).count({ n: '*' }))[0]!.n);
  await until(async () => (await count('result_batches')) >= AGENTS * BATCHES, 600_000, 50);
  const committed = Date.now();
  const cpuAfter = bench.cpuSeconds();
  const stored = await count('check_results');
  if (stored !== TOTAL) throw new Error(`${stored} results stored, not ${TOTAL}`);
  // Heap-only updates of checks (docs/decisions.md, "Ingest: checks' progress").
  const hot = (
    await bench.db.raw(`SELECT n_tup_upd AS updates, n_tup_hot_upd AS hot
      FROM pg_stat_user_tables WHERE relname = 'checks'`)
  ).rows[0] as { updates: string; hot: string };
  for (const c of clients) c.end(true);
  const ingestRate = TOTAL / ((committed - started) / 1000);

  // Raw COPY of as many rows into the same table (its partitions, key and foreign key), at
  // other times than ingest used; and, for reference, into a plain table of the same shape.
  const pgCpu = () => bench.cpuSeconds().postgres;
  const { rate: copyRate, pgSeconds: copyPgSeconds } = await rawCopy(
    bench.databaseUrl,
    TOTAL,
    'check_results',
    pgCpu,
  );
  const { rate: plainRate } = await rawCopy(bench.databaseUrl, TOTAL, 'bench_plain', pgCpu);
  const broker = args.external
    ? `mosquitto (external, shared subscription, ${args['ingest-workers']} ingest clients)`
    : 'embedded aedes';
  const hubRuns = args['from-sources'] ? 'the sources through tsx' : 'its build (hub/dist)';
  console.log(
    `ingest through ${broker}, the hub running ${hubRuns}: ${AGENTS} agents × ${BATCHES} batches × ${RESULTS} results`,
  );
  console.log(
    `  all published after ${published - started} ms, all committed after ${committed - started} ms`,
  );
  console.log(
    `  end to end: ${Math.round(ingestRate)} samples/s (${Math.round((AGENTS * BATCHES) / ((committed - started) / 1000))} batches/s)`,
  );
  // CPU per sample is steadier than the rate on a shared machine (docs/benchmarks.md).
  const cpu = (key: 'hub' | 'postgres') => {
    const seconds = cpuAfter[key] - cpuBefore[key];
    return `${seconds.toFixed(2)} s (${Math.round((seconds * 1e6) / TOTAL)} µs/sample)`;
  };
  console.log(`  CPU while ingesting: hub ${cpu('hub')}, PostgreSQL ${cpu('postgres')}`);
  if (reconnects > 0) console.log(`  agents reconnected ${reconnects} times and resent`);
  console.log(
    `  checks updated ${hot.updates} times, ${Math.round((100 * Number(hot.hot)) / Math.max(1, Number(hot.updates)))} % of them heap-only`,
  );
  console.log(
    `  raw COPY FROM STDIN into check_results (text, one stream): ${Math.round(copyRate)} rows/s` +
      `; PostgreSQL CPU ${copyPgSeconds.toFixed(2)} s (${Math.round((copyPgSeconds * 1e6) / TOTAL)} µs/row)`,
  );
  console.log(`  ratio: ${(ingestRate / copyRate).toFixed(2)} × raw COPY (goal ≥ 0.5)`);
  console.log(
    `  for reference, raw COPY into a plain table of the same shape (no partitions, no ` +
      `foreign key): ${Math.round(plainRate)} rows/s (${(ingestRate / plainRate).toFixed(2)} ×)`,
  );
} finally {
  await bench.stop();
}

/** COPYs `rows` rows into `table`; returns rows/s and PostgreSQL's CPU seconds meanwhile. */
async function rawCopy(
  url: string,
  rows: number,
  table: string,
  pgCpu: () => number,
): Promise<{ rate: number; pgSeconds: number }> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(
      `CREATE TABLE IF NOT EXISTS bench_plain (LIKE check_results INCLUDING DEFAULTS, PRIMARY KEY (check_id, at))`,
    );
    const before = Number((await client.query(`SELECT count(*) AS n FROM ${table}`)).rows[0].n);
    const checkIds = (await client.query(`SELECT id FROM checks ORDER BY id`)).rows.map(
      (r) => r.id as string,
    );
    const fields = JSON.stringify({
      sent: 20,
      received: 20,
      loss: 0,
      min: 1.1,
      median: 2.2,
      p95: 3.3,
      max: 4.4,
      jitter: 0.5,
    });
    const t0 = Date.now() - 12 * 3600_000;
    const lines: string[] = [];
    for (let i = 0; i < rows; i++) {
      const check = checkIds[i % checkIds.length]!;
      const at = new Date(t0 + Math.floor(i / checkIds.length) * 1000).toISOString();
      lines.push(`${check}\t${at}\tok\t\\N\t${fields}\t\\N\tf\t${i}\n`);
    }
    const data = Buffer.from(lines.join(''));
    const cpuBefore = pgCpu();
    const started = Date.now();
    await pipeline(
      Readable.from([data]),
      client.query(
        copyFrom(
          `COPY ${table} (check_id, at, status, reason, fields, samples, replayed, batch_seq) FROM STDIN`,
        ),
      ),
    );
    const seconds = (Date.now() - started) / 1000;
    // Before the connection ends: its backend's CPU time goes with it.
    const pgSeconds = pgCpu() - cpuBefore;
    const n = Number((await client.query(`SELECT count(*) AS n FROM ${table}`)).rows[0].n);
    if (n - before !== rows) throw new Error(`COPY stored ${n - before} rows, not ${rows}`);
    return { rate: rows / seconds, pgSeconds };
  } finally {
    await client.end();
  }
}
