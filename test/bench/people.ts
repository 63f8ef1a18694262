/**
 * People at work while the fleet ingests (`pnpm bench:people [-- --users 500 --agents 10000
 * --seconds 30 --tickets 100000]`), not part of `pnpm test`. Starts the real hub (child process,
 * embedded PostgreSQL and broker), writes `--agents` agents (test/bench/fleet-agents.ts) and has
 * bench:fleet's worker processes connect them and publish one batch per agent every 10 s; seeds
 * `--tickets` tickets over their branches (test/bench/web-seed.ts) and a day of minute rollups
 * for the charts. Once the fleet is connected and ingesting, `--users` people work the UI's API
 * at once through autocannon, one connection each, spread over the routes the pages call:
 *
 * - queue pages (`GET /api/v1/tickets`, 25 a page, several sort orders, filters and offsets),
 * - ticket pages (`GET /api/v1/tickets/:id`: the ticket, its conversation and SLA clocks),
 * - branch charts (`GET /api/v1/checks/:id/series`, the last 24 hours),
 * - the map of one branch (`GET /api/v1/branches/:id/topology`),
 * - the live stream (`GET /api/v1/events/stream`, held open; events counted).
 *
 * Each person is signed in with the platform admin's bearer token (every tenant: the heaviest
 * queue). It prints, for each route, requests, errors and non-2xx answers, and latency p50, p95
 * (goal < 200 ms) and p99, collected per response; the fleet's ingest lag meanwhile; and where
 * the time went: the cores the hub and PostgreSQL used, and the connections taken from each
 * database pool (api, work) with how long each was waited for. A person pauses `--think` seconds
 * between requests on average (default 5: the UI's pages ask by themselves every 5 s at most —
 * the overview and the fleet; a ticket every 10 s, the queue every 15 s, the map every 30 s), so
 * the people of a route send `users / think` requests a second, through autocannon's
 * `overallRate` in ten instances started a tenth of a second apart (autocannon paces by the
 * second: one instance would send each second's requests at once). `--think 0`: nobody pauses,
 * one connection each, and 500 users ask as much as the machine answers.
 * `--fleet-seconds N` stops the fleet publishing N s after its start (a quiet hub for the
 * users); `--profile-hub DIR` writes the hub's CPU profile.
 */
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import { createAgents } from './fleet-agents.js';
import { ADMIN_PASSWORD, loadAverage, percentile, startBenchHub, until } from './hub-bench.js';
import { seedTickets } from './web-seed.js';

const { values: args } = parseArgs({
  args: process.argv.slice(2).filter((a) => a !== '--'),
  options: {
    users: { type: 'string', default: '500' },
    agents: { type: 'string', default: '10000' },
    workers: { type: 'string', default: '3' },
    seconds: { type: 'string', default: '30' },
    tickets: { type: 'string', default: '100000' },
    think: { type: 'string', default: '5' },
    // How long the fleet publishes from its start (default: until the users are done); a few
    // seconds make its checks and leave the users a quiet hub, to tell ingest's share apart.
    'fleet-seconds': { type: 'string' },
    // Writes a CPU profile of the hub (node --cpu-prof) into this folder.
    'profile-hub': { type: 'string' },
  },
});
const USERS = Number(args.users);
const AGENTS = Number(args.agents);
const WORKERS = Number(args.workers);
const SECONDS = Number(args.seconds);
const THINK = Number(args.think);
const FLEET_URL = new URL('./fleet.ts', import.meta.url);

const bench = await startBenchHub({
  external: false,
  nodeArgs: args['profile-hub'] ? ['--cpu-prof', `--cpu-prof-dir=${args['profile-hub']}`] : [],
  // Where PostgreSQL's time goes while the users work (topStatements).
  postgresSettings: { shared_preload_libraries: 'pg_stat_statements' },
});
await bench.db.raw('CREATE EXTENSION IF NOT EXISTS pg_stat_statements');
const children: ReturnType<typeof fork>[] = [];
try {
  console.log(`people: ${USERS} users, ${AGENTS} agents ingesting; load ${loadAverage()}`);
  await createAgents(bench.db, AGENTS, 'keyed');
  const seeded = await seedTickets(bench.db, Number(args.tickets));
  console.log(
    `  seeded ${seeded.n} tickets (${seeded.active} active) in ${Math.round(seeded.seconds)} s`,
  );

  // The fleet: bench:fleet's workers connect the agents, then publish for the whole run.
  const fleetSeconds = Number(args['fleet-seconds'] ?? SECONDS + 60);
  const per = Math.ceil(AGENTS / WORKERS);
  const connected: Promise<void>[] = [];
  for (let w = 0; w < WORKERS; w++) {
    const child = fork(
      fileURLToPath(FLEET_URL),
      [
        '--worker',
        `--url=${bench.agentUrl}`,
        `--first=${w * per}`,
        `--count=${Math.max(0, Math.min(per, AGENTS - w * per))}`,
        `--seconds=${fleetSeconds}`,
        '--period=10',
        '--results=5',
      ],
      { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] },
    );
    children.push(child);
    // A worker connects its agents once told to, after it has loaded (bench:fleet times the
    // connects from there).
    child.on(
      'message',
      (m: { type: string }) => m.type === 'ready' && child.send({ type: 'connect' }),
    );
    connected.push(
      new Promise((resolve) =>
        child.on('message', (m: { type: string }) => m.type === 'connected' && resolve()),
      ),
    );
  }
  const connectStart = Date.now();
  await Promise.all(connected);
  console.log(`  fleet connected in ${Date.now() - connectStart} ms; load ${loadAverage()}`);
  // The workers publish once told to, all together (bench:fleet times the connects alone).
  for (const child of children) child.send({ type: 'start' });

  // A day of minute rollups for the checks the charts ask for (the fleet made its checks).
  await until(
    async () => Number((await bench.db('checks').count({ n: '*' }))[0]!.n) >= AGENTS,
    60_000,
    500,
  );
  const checkIds = (await bench.db.raw(`SELECT id FROM checks ORDER BY id LIMIT 500`)).rows.map(
    (r: { id: string }) => r.id,
  ) as string[];
  await bench.db.raw(
    `INSERT INTO check_rollups (check_id, period, bucket, rounds, failed, stats)
     SELECT c, '1m', date_trunc('minute', now()) - g * interval '1 minute', 1, 0,
            jsonb_build_object('median', jsonb_build_object('n', 1, 'min', 2, 'max', 2, 'mean', 2, 'median', 2))
     FROM unnest(?::uuid[]) c, generate_series(1, 1440) g ON CONFLICT DO NOTHING`,
    [checkIds],
  );
  // What was just seeded, analysed now rather than by autovacuum while the users work.
  await bench.db.raw('VACUUM ANALYZE tickets, ticket_events, check_rollups');
  const ticketIds = (
    await bench.db.raw(`SELECT id FROM tickets WHERE state NOT IN ('resolved','closed') LIMIT 2000`)
  ).rows.map((r: { id: string }) => r.id) as string[];
  const branchIds = (await bench.db.raw(`SELECT id FROM branches LIMIT 2000`)).rows.map(
    (r: { id: string }) => r.id,
  ) as string[];

  const login = await fetch(`${bench.baseUrl}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'admin', password: ADMIN_PASSWORD }),
  });
  const { token } = (await login.json()) as { token: string };
  const headers = { authorization: `Bearer ${token}` };
  const pick = <T>(xs: T[]) => xs[Math.floor(Math.random() * xs.length)]!;
  const sorts = ['opened_at', 'updated_at', 'priority', 'number'];
  const routes: { name: string; share: number; path: () => string }[] = [
    {
      name: 'queue page',
      share: 0.3,
      path: () =>
        `/api/v1/tickets?limit=25&state=active&sort=${pick(sorts)}&offset=${25 * Math.floor(Math.random() * 20)}`,
    },
    { name: 'ticket page', share: 0.25, path: () => `/api/v1/tickets/${pick(ticketIds)}` },
    {
      name: 'branch chart (24 h)',
      share: 0.2,
      path: () =>
        `/api/v1/checks/${pick(checkIds)}/series?from=${encodeURIComponent(new Date(Date.now() - 86_400_000).toISOString())}`,
    },
    { name: 'branch map', share: 0.15, path: () => `/api/v1/branches/${pick(branchIds)}/topology` },
  ];
  const streams = Math.round(USERS * 0.1);

  // The live stream: held open by a tenth of the users for the whole run.
  const live = { opened: 0, failed: 0, events: 0 };
  const aborts = new AbortController();
  const streamDone = Array.from({ length: streams }, async () => {
    try {
      const res = await fetch(`${bench.baseUrl}/api/v1/events/stream`, {
        headers: { ...headers, accept: 'text/event-stream' },
        signal: aborts.signal,
      });
      if (!res.ok || !res.body) throw new Error(String(res.status));
      live.opened++;
      const text = new TextDecoder();
      for await (const chunk of res.body) {
        live.events += text.decode(chunk, { stream: true }).split('\ndata:').length - 1;
      }
    } catch (err) {
      if (!aborts.signal.aborted) live.failed++;
      void err;
    }
  });

  const lagFrom = new Date();
  const cpuFrom = bench.cpuSeconds();
  const waitFrom = await poolWaits(bench.baseUrl);
  await bench.db.raw('SELECT pg_stat_statements_reset()');
  const runs = routes.map(async (route) => {
    const users = Math.max(1, Math.round(USERS * route.share));
    const latencies: number[] = [];
    const load = (options: Partial<autocannon.Options>) =>
      new Promise<autocannon.Result>((resolve, reject) => {
        const instance = autocannon(
          {
            url: bench.baseUrl,
            duration: SECONDS,
            headers,
            requests: [{ method: 'GET', setupRequest: (req) => ({ ...req, path: route.path() }) }],
            ...options,
          },
          (err, result) => (err ? reject(err) : resolve(result)),
        );
        instance.on('response', (_client, _status, _bytes, ms: number) => latencies.push(ms));
      });
    const perSecond = THINK > 0 ? Math.max(1, Math.round(users / THINK)) : 0;
    const slots = Math.min(10, perSecond);
    const results = await Promise.all(
      perSecond === 0
        ? [load({ connections: users })]
        : Array.from({ length: slots }, async (_, k) => {
            await sleep((k * 1000) / slots);
            const rate = Math.floor(perSecond / slots) + (k < perSecond % slots ? 1 : 0);
            return load({ connections: rate, overallRate: rate });
          }),
    );
    latencies.sort((a, b) => a - b);
    const sum = (k: 'errors' | 'timeouts' | 'non2xx') => results.reduce((n, r) => n + r[k], 0);
    const result = { errors: sum('errors'), timeouts: sum('timeouts'), non2xx: sum('non2xx') };
    return { route, users, planned: perSecond * SECONDS, result, latencies };
  });
  const results = await Promise.all(runs);
  const cpuTo = bench.cpuSeconds();
  const waitTo = await poolWaits(bench.baseUrl);
  aborts.abort();
  await Promise.all(streamDone);

  const { rows } = await bench.db.raw(
    `SELECT count(*)::int n, percentile_cont(0.99) WITHIN GROUP (ORDER BY lag) p99, max(lag) max
     FROM (SELECT extract(epoch FROM received_at - sent_at) * 1000 AS lag
           FROM result_batches WHERE sent_at >= ?) l`,
    [lagFrom],
  );
  console.log(
    `  ${SECONDS} s of ${USERS} users (${streams} on the live stream), ` +
      `${THINK > 0 ? `a request every ${THINK} s each` : 'no pause'}, load ${loadAverage()}:`,
  );
  for (const { route, users, planned, result, latencies } of results) {
    const p95 = percentile(latencies, 95);
    console.log(
      `  ${route.name.padEnd(22)} ${String(users).padStart(3)} users  ` +
        `${String(latencies.length).padStart(6)} requests${planned ? ` of ${planned} planned` : ''}  p50 ${Math.round(percentile(latencies, 50))} ms  ` +
        `p95 ${Math.round(p95)} ms (${(p95 / 200).toFixed(2)} × the goal of 200 ms)  ` +
        `p99 ${Math.round(percentile(latencies, 99))} ms  errors ${result.errors} ` +
        `(${result.timeouts} timed out after 10 s), non-2xx ${result.non2xx}`,
    );
  }
  console.log(
    `  live stream: ${live.opened} of ${streams} open, ${live.failed} failed, ${live.events} events received`,
  );
  console.log(
    `  fleet meanwhile: ${rows[0].n} batches committed, ingest lag p99 ${Math.round(rows[0].p99)} ms, ` +
      `max ${Math.round(rows[0].max)} ms; hub RSS ${Math.round(bench.rssBytes() / 1024 / 1024)} MB`,
  );
  // Where the time went: cores used by the hub (one event loop: 1.0 is all it can have) and by
  // PostgreSQL, and how often and how long the hub waited for a connection of each pool (a
  // query outside a transaction takes one; a transaction takes one for all its queries).
  const cores = (k: 'hub' | 'postgres') => ((cpuTo[k] - cpuFrom[k]) / SECONDS).toFixed(2);
  const answered = results.reduce((n, r) => n + r.latencies.length, 0);
  const taken = (pool: string) => waitTo[`count:${pool}`]! - waitFrom[`count:${pool}`]!;
  const waited = (pool: string) => {
    const sum = waitTo[`sum:${pool}`]! - waitFrom[`sum:${pool}`]!;
    return `${taken(pool)} taken, ${Math.round((sum / Math.max(1, taken(pool))) * 1000)} ms waited on average`;
  };
  const perAnswer =
    answered > 0 ? `${(taken('api') / answered).toFixed(1)} per answer` : 'nothing answered';
  console.log(
    `  cores used: hub ${cores('hub')}, PostgreSQL ${cores('postgres')}; connections: ` +
      `api pool ${waited('api')} (${perAnswer}), work pool ${waited('work')}`,
  );
  console.log('  PostgreSQL, statements that took the most time while the users worked:');
  for (const line of await topStatements(8, 'total_exec_time')) console.log(`    ${line}`);
  console.log('  and those run most often:');
  for (const line of await topStatements(5, 'calls')) console.log(`    ${line}`);
} finally {
  for (const child of children) if (child.exitCode === null) child.kill('SIGTERM');
  await bench.stop();
}

/**
 * The statements PostgreSQL spent the most time executing (or ran most often) since
 * pg_stat_statements was reset: calls, mean time, and the share of all statements' time.
 */
async function topStatements(count: number, by: 'total_exec_time' | 'calls'): Promise<string[]> {
  const { rows } = await bench.db.raw<{
    rows: { query: string; calls: string; total: number; mean: number; share: number }[];
  }>(
    `SELECT query, calls, total_exec_time AS total, mean_exec_time AS mean,
            total_exec_time / nullif(sum(total_exec_time) OVER (), 0) AS share
       FROM pg_stat_statements
      WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database())
        AND query NOT LIKE '%pg_stat%'
      ORDER BY ${by} DESC LIMIT ?`,
    [count],
  );
  return rows.map(
    (r) =>
      `${(r.share * 100).toFixed(1).padStart(5)} %  ${String(r.calls).padStart(6)} calls  ` +
      `mean ${r.mean.toFixed(2)} ms  ${r.query.replace(/\s+/g, ' ').slice(0, 110)}`,
  );
}

/** bw_db_pool_wait_seconds' count and sum per pool, from the hub's /metrics. */
async function poolWaits(baseUrl: string): Promise<Record<string, number>> {
  const text = await (await fetch(`${baseUrl}/metrics`)).text();
  const out: Record<string, number> = {};
  for (const m of text.matchAll(/^bw_db_pool_wait_seconds_(count|sum)\{pool="(\w+)"\} (\S+)$/gm)) {
    out[`${m[1]}:${m[2]}`] = Number(m[3]);
  }
  return out;
}
