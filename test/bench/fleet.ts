/**
 * Fleet benchmark (`pnpm bench:fleet [-- --agents 10000 --seconds 120 --workers 3 --profile-hub DIR]`), not part of
 * `pnpm test`: that many simulated agents connected at once to the hub's
 * embedded broker, each publishing one results batch every 10 s. Prints the connect phase (every
 * CONNECT is a password verification in the hub), the ingest lag from publish to commit
 * (result_batches.received_at − sent_at; goal p99 < 1 s) and the hub's RSS.
 *
 * Agents are written straight into the database with the hub's own secret hashing (one hash
 * shared by all: creating 10,000 through the API would hash 10,000 times before the run starts);
 * `--hash argon2id` writes the hashes of earlier versions instead, which the hub verifies with
 * argon2id and replaces at each agent's first connect.
 * The clients are spread over worker processes (this file, started with --worker).
 */
import { fork } from 'node:child_process';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import mqtt from 'mqtt';
import { topics } from '@branchwatch/contract';
import { addressOf, createAgents, PASSWORD, usernameOf, type Address } from './fleet-agents.js';
import { loadAverage, percentile, startBenchHub, type BenchHub } from './hub-bench.js';

const { values: args } = parseArgs({
  args: process.argv.slice(2).filter((a) => a !== '--'),
  options: {
    agents: { type: 'string', default: '10000' },
    seconds: { type: 'string', default: '120' },
    workers: { type: 'string', default: '3' },
    period: { type: 'string', default: '10' },
    results: { type: 'string', default: '5' },
    hash: { type: 'string', default: 'keyed' },
    // CONNECTs each worker keeps in flight (a reconnect storm has every agent's at once).
    'in-flight': { type: 'string', default: '32' },
    // Writes a CPU profile of the hub (node --cpu-prof) into this folder.
    'profile-hub': { type: 'string' },
    // Writes a heap snapshot of the hub into this folder at the steady phase's RSS peak so far,
    // after this many seconds of it (--snapshot-after, default half the run).
    'heap-snapshot': { type: 'string' },
    'snapshot-after': { type: 'string' },
    // More node options for the hub, space-separated (e.g. "--max-old-space-size=256").
    'hub-node-args': { type: 'string' },
    // Set in worker processes only.
    worker: { type: 'boolean', default: false },
    url: { type: 'string' },
    first: { type: 'string' },
    count: { type: 'string' },
  },
});
/**
 * PostgreSQL's backends publish their transaction counts at most every second while busy and
 * after 10 s once idle: the counters are read after that long a pause, at both ends.
 */
const STATS_FLUSH_MS = 11_000;

const PERIOD_MS = Number(args.period) * 1000;
const RESULTS = Number(args.results);

type WorkerMessage =
  | { type: 'ready' }
  /** cpuMs: the worker's own CPU over its connects (user + system). */
  | { type: 'connected'; ms: number[]; failed: number; cpuMs: number }
  | {
      type: 'published';
      batches: number;
      failed: number;
      loopDelayMs: { p99: number; max: number };
    };

if (args.worker) await runWorker();
else await runBench();

async function runBench() {
  const agents = Number(args.agents);
  const workers = Number(args.workers);
  const bench = await startBenchHub({
    external: false,
    nodeArgs: [
      ...(args['hub-node-args']?.split(' ').filter(Boolean) ?? []),
      ...(args['profile-hub'] ? ['--cpu-prof', `--cpu-prof-dir=${args['profile-hub']}`] : []),
      ...(args['heap-snapshot']
        ? ['--heapsnapshot-signal=SIGUSR2', `--diagnostic-dir=${args['heap-snapshot']}`]
        : []),
    ],
    // Every statement the hub sends, counted over the steady phase (statementsPerBatch).
    postgresSettings: { shared_preload_libraries: 'pg_stat_statements' },
  });
  try {
    await bench.db.raw('CREATE EXTENSION IF NOT EXISTS pg_stat_statements');
    const t0 = Date.now();
    await createAgents(bench.db, agents, args.hash === 'argon2id' ? 'argon2id' : 'keyed');
    console.log(`fleet: ${agents} agents written to the database in ${Date.now() - t0} ms`);
    // Peak RSS per phase: connecting (a password check per CONNECT) and steady ingest.
    const rssPeak = { connect: bench.rssBytes(), steady: 0 };
    let phase: keyof typeof rssPeak = 'connect';
    // At each new peak while ingesting, what the hub's V8 heap and its buffers held
    // (prom-client's process metrics): whether the RSS is JavaScript objects or not.
    let heapAtPeak = '';
    const rssTimer = setInterval(() => {
      const rss = bench.rssBytes();
      if (rss <= rssPeak[phase]) return;
      rssPeak[phase] = rss;
      // A scrape that fails (the hub stopping) leaves the last figure.
      if (phase === 'steady')
        void heapNow().then(
          (h) => (heapAtPeak = h),
          () => {},
        );
    }, 1000);
    const heapNow = async () => {
      const text = await (await fetch(`${bench.baseUrl}/metrics`)).text();
      const metric = (name: string) =>
        Number(new RegExp(`^${name}(?:\\{[^}]*\\})? (\\S+)`, 'm').exec(text)?.[1] ?? NaN);
      return (
        `heap used ${mb(metric('nodejs_heap_size_used_bytes'))} of ` +
        `${mb(metric('nodejs_heap_size_total_bytes'))}, external ${mb(metric('nodejs_external_memory_bytes'))}`
      );
    };
    const rssIdle = bench.rssBytes();

    const per = Math.ceil(agents / workers);
    const children = Array.from({ length: workers }, (_, w) => {
      const first = w * per;
      const count = Math.max(0, Math.min(per, agents - first));
      return fork(
        fileURLToPath(import.meta.url),
        [
          '--worker',
          `--url=${bench.agentUrl}`,
          `--first=${first}`,
          `--count=${count}`,
          `--seconds=${args.seconds}`,
          `--period=${args.period}`,
          `--results=${args.results}`,
          `--in-flight=${args['in-flight']}`,
        ],
        { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] },
      );
    });
    const reports = children.map(
      (child) =>
        new Promise<WorkerMessage[]>((resolve, reject) => {
          const got: WorkerMessage[] = [];
          child.on('message', (m: WorkerMessage) => got.push(m));
          child.once('exit', (code) =>
            code === 0 ? resolve(got) : reject(new Error(`worker exited ${code}`)),
          );
        }),
    );
    const connected = children.map(
      (child) =>
        new Promise<Extract<WorkerMessage, { type: 'connected' }>>((resolve) =>
          child.on('message', (m: WorkerMessage) => m.type === 'connected' && resolve(m)),
        ),
    );
    // The connect phase starts once every worker has loaded (tsx compiling this file and mqtt
    // took tens of seconds at load 13, which used to count as connecting).
    await Promise.all(
      children.map(
        (child) =>
          new Promise<void>((resolve) =>
            child.on('message', (m: WorkerMessage) => m.type === 'ready' && resolve()),
          ),
      ),
    );
    // Statements of the connect phase alone (the agents' lookups, whatever else a CONNECT sends).
    await bench.db.raw('SELECT pg_stat_statements_reset()');
    const connectStart = Date.now();
    // CPU of the hub and PostgreSQL per connect and per batch: on a shared machine the
    // wall-clock moves with the other sessions' load, this much less.
    const cpuStart = bench.cpuSeconds();
    for (const child of children) child.send({ type: 'connect' });
    const conn = await Promise.all(connected);
    const connectMs = Date.now() - connectStart;
    const cpuConnected = bench.cpuSeconds();
    const connectStatements = await statementsCalled(bench);
    // The steady phase starts in every worker at once, so that the connect phase's CPU and
    // profile are the connects' alone (a worker done early used to publish meanwhile).
    const statementsAtStart = await steadyCounters(bench);
    for (const child of children) child.send({ type: 'start' });
    const rssConnected = bench.rssBytes();
    phase = 'steady';
    const snapshot = args['heap-snapshot']
      ? setTimeout(
          () => bench.hub.kill('SIGUSR2'),
          Number(args['snapshot-after'] ?? Number(args.seconds) / 2) * 1000,
        )
      : undefined;
    // The steady phase ends when every worker has its last PUBACK (or gave up waiting); the
    // workers disconnect their agents only after its figures are read, so that 10,000 agents
    // going offline (an outage row and a notice each) do not count as ingest's work.
    const steadyDone = await Promise.all(
      children.map(
        (child) =>
          new Promise<Published>((resolve) =>
            child.on('message', (m: WorkerMessage) => m.type === 'published' && resolve(m)),
          ),
      ),
    );
    clearTimeout(snapshot);
    clearInterval(rssTimer);
    const cpuEnd = bench.cpuSeconds();
    const statements = await statementsPerBatch(bench, statementsAtStart, steadyDone);
    const rssEnd = bench.rssBytes();
    for (const child of children) child.send({ type: 'stop' });
    const done = await Promise.all(reports);
    const stages = await hubStages(bench.baseUrl);
    // Rows written per table and transactions over the run, per acknowledged batch: what each
    // batch costs PostgreSQL in statements' work.
    const { rows: writes } = await bench.db.raw<{
      rows: { relname: string; ins: string; upd: string }[];
    }>(
      `SELECT relname, n_tup_ins AS ins, n_tup_upd AS upd FROM pg_stat_user_tables
        WHERE n_tup_ins + n_tup_upd > 0 ORDER BY n_tup_ins + n_tup_upd DESC LIMIT 8`,
    );
    const { rows: xacts } = await bench.db.raw<{ rows: { commits: string }[] }>(
      `SELECT xact_commit AS commits FROM pg_stat_database WHERE datname = current_database()`,
    );
    const connectTimes = conn.flatMap((c) => c.ms).sort((a, b) => a - b);
    const failedConnects = conn.reduce((n, c) => n + c.failed, 0);
    const publishedBy = published(done);
    const batches = publishedBy.reduce((n, m) => n + m.batches, 0);
    const failedPublishes = publishedBy.reduce((n, m) => n + m.failed, 0);

    // Lag of every committed batch of the steady phase (published after all were connected),
    // and apart: each agent's first batch (it turns the agent's checks from unknown to ok, a
    // state change each) and the later ones.
    const lagOf = async (seqs: string) => {
      const { rows } = await bench.db.raw<{
        rows: { n: string; p50: number; p99: number; max: number }[];
      }>(
        `SELECT count(*) AS n,
                percentile_cont(0.5) WITHIN GROUP (ORDER BY lag) AS p50,
                percentile_cont(0.99) WITHIN GROUP (ORDER BY lag) AS p99,
                max(lag) AS max
           FROM (SELECT extract(epoch FROM received_at - sent_at) * 1000 AS lag
                   FROM result_batches WHERE sent_at >= ? AND ${seqs}) l`,
        [new Date(connectStart + connectMs)],
      );
      const l = rows[0]!;
      return `p50 ${Math.round(l.p50)} ms, p99 ${Math.round(l.p99)} ms, max ${Math.round(l.max)} ms over ${l.n}`;
    };
    const lag = {
      all: await lagOf('true'),
      first: await lagOf('seq = 1'),
      later: await lagOf('seq > 1'),
    };
    console.log(
      `fleet: ${agents} agents over ${workers} worker processes, embedded broker, ` +
        `${args.hash === 'argon2id' ? 'argon2id' : 'keyed'} secret hashes`,
    );
    console.log(
      `  connect: all ${agents - failedConnects} connected after ${connectMs} ms ` +
        `(${Math.round(((agents - failedConnects) / connectMs) * 1000)}/s; ` +
        `CONNECT→CONNACK p50 ${percentile(connectTimes, 50)} ms, p99 ${percentile(connectTimes, 99)} ms); ` +
        `${failedConnects} failed; the simulated agents' CPU ` +
        `${Math.round((conn.reduce((n, c) => n + c.cpuMs, 0) * 1000) / Math.max(1, agents))} µs per connect; ` +
        `${connectStatements.calls} statements ` +
        `(${connectStatements.top.map((t) => `${t.calls} × ${t.query.slice(0, 70)}`).join('; ')})`,
    );
    console.log(
      `  steady: ${batches} batches acknowledged (${failedPublishes} failed or unacknowledged), one per agent every ` +
        `${args.period} s, ${RESULTS} results each, for ${args.seconds} s`,
    );
    console.log(
      `  ingest lag publish→commit: ${lag.all} batches (goal p99 < 1000 ms); first batch of ` +
        `each agent ${lag.first}; later batches ${lag.later}`,
    );
    const loop = publishedBy.map((m) => m.loopDelayMs);
    const perBatch = (n: string) => (Number(n) / Math.max(1, batches)).toFixed(2);
    console.log(
      `  PostgreSQL over the whole run, per acknowledged batch: ${perBatch(xacts[0]!.commits)} commits; rows ` +
        writes.map((w) => `${w.relname} +${perBatch(w.ins)}/~${perBatch(w.upd)}`).join(', ') +
        ' (inserted/updated)',
    );
    console.log(`  steady phase, per acknowledged batch: ${statements}`);
    console.log(
      `  where the lag goes: in the hub (bw_ingest_batch_seconds, arrival → PUBACK, whole run) ${stages}; ` +
        `the simulated agents' event loops ran late by p99 ` +
        `${loop.map((l) => Math.round(l.p99)).join('/')} ms, max ${loop.map((l) => Math.round(l.max)).join('/')} ms (per worker)`,
    );
    console.log(
      `  hub RSS: ${mb(rssIdle)} idle, ${mb(rssConnected)} all connected, ${mb(rssEnd)} at the end; ` +
        `peak ${mb(rssPeak.connect)} while connecting, ${mb(rssPeak.steady)} while ingesting ` +
        `(${heapAtPeak})`,
    );
    const cpuPer = (from: typeof cpuStart, to: typeof cpuStart, n: number) =>
      `hub ${Math.round(((to.hub - from.hub) * 1e6) / Math.max(1, n))} µs + PostgreSQL ` +
      `${Math.round(((to.postgres - from.postgres) * 1e6) / Math.max(1, n))} µs`;
    console.log(
      `  CPU per connect: ${cpuPer(cpuStart, cpuConnected, agents - failedConnects)}; per batch ` +
        `acknowledged in the steady phase: ${cpuPer(cpuConnected, cpuEnd, batches)}; load ${loadAverage()}`,
    );
  } finally {
    await bench.stop();
  }
}

async function runWorker() {
  // The simulated agents' own share of the lag: how late this process's event loop ran.
  const loopDelay = monitorEventLoopDelay({ resolution: 10 });
  loopDelay.enable();
  const first = Number(args.first);
  const count = Number(args.count);
  const send = (m: WorkerMessage) => process.send!(m);
  // CONNECTs wait for a password check each: keep a bounded number in flight so that none
  // times out while queued behind the others.
  const clients: { client: mqtt.MqttClient; address: Address }[] = [];
  const ms: number[] = [];
  let failed = 0;
  let next = first;
  const connectOne = async () => {
    while (next < first + count) {
      const address = addressOf(next++);
      const started = Date.now();
      try {
        const client = await new Promise<mqtt.MqttClient>((resolve, reject) => {
          const c = mqtt.connect(args.url!, {
            clientId: usernameOf(address),
            username: usernameOf(address),
            password: PASSWORD,
            protocolVersion: 4,
            reconnectPeriod: 0,
            connectTimeout: 300_000,
            keepalive: 300,
          });
          c.once('connect', () => resolve(c));
          c.once('error', (e) => (c.end(true), reject(e)));
          // Closed before its CONNACK (the broker drops a CONNECT late by more than its
          // connectTimeout on a loaded machine): failed, not waited for for ever.
          c.once('close', () => reject(new Error('closed before CONNACK')));
        });
        ms.push(Date.now() - started);
        clients.push({ client, address });
      } catch {
        failed++;
      }
    }
  };
  const start = new Promise<void>((resolve) =>
    process.on('message', (m: { type?: string }) => m.type === 'start' && resolve()),
  );
  const go = new Promise<void>((resolve) =>
    process.on('message', (m: { type?: string }) => m.type === 'connect' && resolve()),
  );
  send({ type: 'ready' });
  await go;
  const cpuBefore = process.cpuUsage();
  await Promise.all(Array.from({ length: Number(args['in-flight']) }, connectOne));
  const cpu = process.cpuUsage(cpuBefore);
  send({ type: 'connected', ms, failed, cpuMs: (cpu.user + cpu.system) / 1000 });
  await start;

  // Steady phase: every agent one batch per period, at its own phase within the period.
  const until = Date.now() + Number(args.seconds) * 1000;
  let batches = 0;
  let publishFailed = 0;
  await Promise.all(
    clients.map(async ({ client, address }, k) => {
      await sleep((k / clients.length) * PERIOD_MS);
      for (let seq = 1; Date.now() < until; seq++) {
        const at = Date.now();
        const payload = JSON.stringify({
          v: 1,
          agent: address.agent,
          seq,
          sentAt: new Date(at).toISOString(),
          replayed: false,
          results: Array.from({ length: RESULTS }, (_, r) => ({
            check: `icmp-${r}`,
            type: 'icmp',
            target: `10.1.0.${r + 1}`,
            at: new Date(at).toISOString(),
            status: 'ok',
            fields: {
              sent: 5,
              received: 5,
              loss: 0,
              min: 1.1,
              median: 2.2,
              p95: 3.3,
              max: 4.4,
              jitter: 0.5,
            },
          })),
        });
        // The embedded broker sends PUBACK after the commit: a hub that falls behind slows the
        // agents down, as it would real ones. Stop waiting 60 s after the run's end.
        const acked = new Promise<boolean>((resolve) =>
          client.publish(topics.results(address), payload, { qos: 1 }, (e) => resolve(!e)),
        );
        const late = sleep(until + 60_000 - Date.now()).then(() => false);
        if (await Promise.race([acked, late])) batches++;
        else publishFailed++;
        await sleep(at + PERIOD_MS - Date.now());
      }
    }),
  );
  loopDelay.disable();
  const stop = new Promise<void>((resolve) =>
    process.on('message', (m: { type?: string }) => m.type === 'stop' && resolve()),
  );
  send({
    type: 'published',
    batches,
    failed: publishFailed,
    loopDelayMs: { p99: loopDelay.percentile(99) / 1e6, max: loopDelay.max / 1e6 },
  });
  await stop;
  for (const { client } of clients) client.end(true);
  process.disconnect();
}

type Published = Extract<WorkerMessage, { type: 'published' }>;
function published(reports: WorkerMessage[][]): Published[] {
  return reports.flat().filter((m): m is Published => m.type === 'published');
}

/** Where the steady phase's counters start: statements reset, commits and bytes so far. */
async function steadyCounters(bench: BenchHub) {
  await sleep(STATS_FLUSH_MS);
  await bench.db.raw('SELECT pg_stat_statements_reset()');
  return {
    commits: await commits(bench),
    written: bench.writtenBytes(),
    gc: await gcSeconds(bench.baseUrl),
  };
}

/** The hub's time in garbage collection so far by kind (prom-client's nodejs_gc_duration_seconds). */
async function gcSeconds(baseUrl: string): Promise<Map<string, number>> {
  const text = await (await fetch(`${baseUrl}/metrics`)).text();
  const kinds = new Map<string, number>();
  for (const m of text.matchAll(/^nodejs_gc_duration_seconds_sum\{kind="(\w+)"\} (\S+)$/gm)) {
    kinds.set(m[1]!, Number(m[2]));
  }
  return kinds;
}

async function commits(bench: BenchHub): Promise<number> {
  const { rows } = await bench.db.raw<{ rows: { n: string }[] }>(
    `SELECT xact_commit AS n FROM pg_stat_database WHERE datname = current_database()`,
  );
  return Number(rows[0]!.n);
}

/**
 * What each acknowledged batch of the steady phase cost in PostgreSQL's transactions and
 * statements (pg_stat_statements, BEGIN and COMMIT included), and in bytes the hub wrote (to
 * PostgreSQL nearly all: a PUBACK is 4 bytes), with the statements called most.
 */
async function statementsPerBatch(
  bench: BenchHub,
  start: Awaited<ReturnType<typeof steadyCounters>>,
  reports: Published[],
): Promise<string> {
  await sleep(STATS_FLUSH_MS);
  const written = bench.writtenBytes() - start.written;
  const gc = await gcSeconds(bench.baseUrl);
  const { rows } = await statementsCalled(bench);
  const xacts = (await commits(bench)) - start.commits;
  const batches = Math.max(
    1,
    reports.reduce((n, m) => n + m.batches, 0),
  );
  const per = (n: number) => (n / batches).toFixed(2);
  const calls = rows.reduce((n, r) => n + r.calls, 0);
  const top = rows.slice(0, 12).map((r) => `${per(r.calls)} × ${r.query.slice(0, 110)}`);
  const gcPerBatch = [...gc]
    .map(
      ([kind, sec]) => `${kind} ${Math.round(((sec - (start.gc.get(kind) ?? 0)) * 1e6) / batches)}`,
    )
    .join(', ');
  return (
    `${per(xacts)} transactions, ${per(calls)} statements, ` +
    `${Math.round(written / batches)} bytes written by the hub; hub GC µs (${gcPerBatch}); statements called most ` +
    `(calls per batch):\n    ${top.join('\n    ')}`
  );
}

/** The hub's statements since pg_stat_statements was reset, called most first. */
async function statementsCalled(bench: BenchHub) {
  const { rows } = await bench.db.raw<{ rows: { query: string; calls: string }[] }>(
    `SELECT query, calls FROM pg_stat_statements
      WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database())
        AND query NOT LIKE '%pg_stat%'
      ORDER BY calls DESC`,
  );
  const list = rows.map((r) => ({
    query: r.query.replace(/\s+/g, ' '),
    calls: Number(r.calls),
  }));
  return { rows: list, calls: list.reduce((n, r) => n + r.calls, 0), top: list.slice(0, 3) };
}

/**
 * p50 and p99 of each stage of bw_ingest_batch_seconds from the hub's /metrics, as the upper
 * bound of the bucket each falls in (a histogram keeps no more).
 */
async function hubStages(baseUrl: string): Promise<string> {
  const text = await (await fetch(`${baseUrl}/metrics`)).text();
  const buckets = new Map<string, { le: number; n: number }[]>();
  for (const m of text.matchAll(/^bw_ingest_batch_seconds_bucket\{([^}]*)\} (\S+)$/gm)) {
    const labels = Object.fromEntries(
      [...m[1]!.matchAll(/(\w+)="([^"]*)"/g)].map((l) => [l[1]!, l[2]!]),
    );
    const list = buckets.get(labels.stage!) ?? [];
    list.push({ le: labels.le === '+Inf' ? Infinity : Number(labels.le), n: Number(m[2]) });
    buckets.set(labels.stage!, list);
  }
  const quantile = (list: { le: number; n: number }[], q: number) => {
    const total = list[list.length - 1]!.n;
    const le = list.find((b) => b.n >= q * total)?.le ?? Infinity;
    return le === Infinity ? '> 60 s' : `≤ ${le * 1000} ms`;
  };
  return [...buckets]
    .map(([stage, list]) => `${stage} p50 ${quantile(list, 0.5)}, p99 ${quantile(list, 0.99)}`)
    .join('; ');
}

function mb(bytes: number) {
  return `${Math.round(bytes / 1024 / 1024)} MB`;
}

function sleep(ms: number) {
  return new Promise((r) => setTimeout(r, Math.max(0, ms)));
}
