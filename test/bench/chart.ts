/**
 * Time to chart and the idle hub (`pnpm bench:chart [-- --checks 1000 --days 365 --raw-days 1
 * --charts 20]`; `-- --idle-only` for the idle RSS alone), not part of `pnpm test`. Starts the real hub (child process, embedded
 * PostgreSQL and broker) and prints its RSS once it is ready and idle (goal < 150 MB). Then
 * seeds, in SQL straight into the tables, `--checks` checks (test/bench/web-seed.ts) with a
 * year of rollups each — days for `--days` days, hours for the last `--hour-days` (the longest
 * range a chart reads hours for; all 400 days the hub keeps took too long to seed here) and
 * minutes for the last day, as the rollup job writes them, in time order as it would — and raw
 * rounds for the last `--raw-days` days. It times the series API as the branch page asks it: a 30-day chart (hour buckets; goal
 * < 200 ms) and a one-year chart (day buckets; goal < 500 ms) of `--charts` checks picked
 * across the fleet, each asked once cold and once again; p50, p95 and max of each are printed
 * with their ratio to the goal.
 *
 * `--cpu-prof DIR` writes a CPU profile of the hub (`node --cpu-prof`) into DIR when it stops.
 *
 * `--compare-index` times the charts twice on the same data, one right after the other: first
 * without the covering index of migration 035, then with it, and prints the plan of each chart's query (EXPLAIN ANALYZE, BUFFERS) both times. The
 * table is vacuumed after seeding, as autovacuum would have done to rollups older than a day.
 */
import { parseArgs } from 'node:util';
import { adminApi, loadAverage, percentile, startBenchHub } from './hub-bench.js';
import { seedFleet } from './web-seed.js';

const { values: args } = parseArgs({
  args: process.argv.slice(2).filter((a) => a !== '--'),
  options: {
    checks: { type: 'string', default: '1000' },
    days: { type: 'string', default: '365' },
    'raw-days': { type: 'string', default: '1' },
    'hour-days': { type: 'string', default: '60' },
    charts: { type: 'string', default: '20' },
    /** Print the idle RSS and stop: no seeding, no charts. */
    'idle-only': { type: 'boolean', default: false },
    /** Time the charts without the covering index of migration 035, then with it. */
    'compare-index': { type: 'boolean', default: false },
    /** Write a CPU profile of the hub (node --cpu-prof) into this folder when it stops. */
    'cpu-prof': { type: 'string' },
  },
});
const CHECKS = Number(args.checks);
const DAYS = Number(args.days);
const RAW_DAYS = Number(args['raw-days']);
const HOUR_DAYS = Math.min(DAYS, Number(args['hour-days']));
const CHARTS = Number(args.charts);
const load = loadAverage;

const bench = await startBenchHub({
  external: false,
  nodeArgs: args['cpu-prof'] ? ['--cpu-prof', `--cpu-prof-dir=${args['cpu-prof']}`] : [],
});
try {
  // Idle: ready, nothing connected, its first jobs run (they start within seconds).
  await new Promise((r) => setTimeout(r, 15_000));
  const idle = bench.rssBytes();
  console.log(
    `hub idle RSS: ${mb(idle)} (goal < 150 MB: ${(idle / 1024 / 1024 / 150).toFixed(2)} × the goal), load ${load()}`,
  );
  if (!args['idle-only']) await charts();
} finally {
  await bench.stop();
}

async function charts(): Promise<void> {
  const t0 = performance.now();
  const fleet = await seedFleet(bench.db, Math.ceil(CHECKS / 3), 2);
  const stats = (mean: string) =>
    `jsonb_build_object('n', 60, 'min', ${mean} - 1, 'max', ${mean} + 3, 'mean', ${mean}, 'median', ${mean})`;
  const statsSql = `jsonb_build_object(
      'median', ${stats('20 + 5 * sin(g / 24.0)')}, 'p95', ${stats('26 + 5 * sin(g / 24.0)')},
      'loss', ${stats('CASE WHEN g % 97 = 0 THEN 10 ELSE 0 END')}, 'jitter', ${stats('1.5')})`;
  // Oldest first and all checks per bucket, as the rollup job writes them over a year.
  for (const [period, step, count] of [
    ['1d', '1 day', DAYS],
    ['1h', '1 hour', HOUR_DAYS * 24],
    ['1m', '1 minute', 24 * 60],
  ] as const) {
    await bench.db.raw(
      `INSERT INTO check_rollups (check_id, period, bucket, rounds, failed, stats)
       SELECT c.id, ?, date_trunc('hour', now()) - g * interval '${step}', 60, 0, ${statsSql}
       FROM generate_series(${count - 1}, 0, -1) g CROSS JOIN checks c`,
      [period],
    );
  }
  await bench.db.raw(
    `INSERT INTO check_results (check_id, at, status, fields, replayed, batch_seq)
     SELECT c.id, date_trunc('minute', now()) - g * interval '1 minute', 'ok',
            jsonb_build_object('sent', 20, 'received', 20, 'loss', 0, 'median', 20 + g % 7,
                               'p95', 26, 'jitter', 1.5),
            false, g
     FROM generate_series(${RAW_DAYS * 24 * 60 - 1}, 0, -1) g CROSS JOIN checks c`,
  );
  await bench.db.raw(
    args['compare-index'] ? 'VACUUM ANALYZE check_rollups' : 'ANALYZE check_rollups',
  );
  await bench.db.raw('ANALYZE check_results');
  const { rows } = await bench.db.raw(
    `SELECT (SELECT count(*) FROM check_rollups)::int rollups,
            (SELECT count(*) FROM check_results)::int rounds,
            pg_size_pretty(pg_total_relation_size('check_rollups')) size`,
  );
  console.log(
    `seeded ${fleet.checks} checks, ${rows[0].rollups} rollups (${rows[0].size}), ` +
      `${rows[0].rounds} raw rounds in ${Math.round((performance.now() - t0) / 1000)} s`,
  );

  const api = await adminApi(bench.baseUrl);
  const ids = (await bench.db.raw(`SELECT id FROM checks ORDER BY id`)).rows.map(
    (r: { id: string }) => r.id as string,
  );
  // Checks across the fleet; each `round` picks others, so that each is asked cold.
  const pick = (round: number) =>
    Array.from(
      { length: CHARTS },
      (_, i) => ids[(Math.floor((i * ids.length) / CHARTS) + round) % ids.length]!,
    );
  const timeChart = async (days: number, picked: string[]) => {
    const cold: number[] = [];
    const warm: number[] = [];
    let points = 0;
    const cpu0 = bench.cpuSeconds();
    for (const id of picked) {
      const from = new Date(Date.now() - days * 86_400_000).toISOString();
      for (const into of [cold, warm]) {
        const t = performance.now();
        const answer = await api<{ resolution: string; points: unknown[] }>(
          'GET',
          `/api/v1/checks/${id}/series?from=${encodeURIComponent(from)}`,
        );
        into.push(performance.now() - t);
        points = answer.points.length;
      }
    }
    const cpu1 = bench.cpuSeconds();
    const asks = picked.length * 2;
    return {
      cold: cold.sort((a, b) => a - b),
      warm: warm.sort((a, b) => a - b),
      points,
      // CPU per chart, less bound to the machine's load than the time a client waits.
      hubMs: ((cpu1.hub - cpu0.hub) * 1000) / asks,
      postgresMs: ((cpu1.postgres - cpu0.postgres) * 1000) / asks,
    };
  };
  const timeBoth = async (picked: string[]) => {
    for (const [label, days, goal] of [
      ['30-day chart (hour buckets)', 30, 200],
      ['1-year chart (day buckets)', 365, 500],
    ] as const) {
      const { cold, warm, points, hubMs, postgresMs } = await timeChart(days, picked);
      const line = (xs: number[]) =>
        `p50 ${Math.round(percentile(xs, 50))} ms, p95 ${Math.round(percentile(xs, 95))} ms, ` +
        `max ${Math.round(xs[xs.length - 1]!)} ms`;
      console.log(
        `${label}, ${points} points, ${CHARTS} checks: first ask ${line(cold)}; again ${line(warm)}; ` +
          `p95 of first asks ${(percentile(cold, 95) / goal).toFixed(2)} × the goal (< ${goal} ms); ` +
          `CPU per chart: hub ${hubMs.toFixed(1)} ms, PostgreSQL ${postgresMs.toFixed(1)} ms; load ${load()}`,
      );
    }
  };
  if (!args['compare-index']) return timeBoth(pick(0));
  // The same query as TimeseriesRepository.rollups, for one check not asked yet.
  const explain = async (checkId: string) => {
    for (const [period, days] of [
      ['1h', 30],
      ['1d', 365],
    ] as const) {
      const { rows } = await bench.db.raw<{ rows: { 'QUERY PLAN': string }[] }>(
        `EXPLAIN (ANALYZE, BUFFERS) SELECT bucket, rounds, failed, stats FROM check_rollups
          WHERE check_id = ? AND period = ? AND bucket >= now() - make_interval(days => ?)
            AND bucket < now() ORDER BY bucket`,
        [checkId, period, days],
      );
      console.log(
        `EXPLAIN ${period}, ${days} days:\n  ${rows.map((r) => r['QUERY PLAN']).join('\n  ')}`,
      );
    }
  };
  const swap = async (covering: boolean) => {
    const t = performance.now();
    await bench.db.raw(
      covering
        ? `CREATE INDEX check_rollups_chart ON check_rollups (check_id, period, bucket)
             INCLUDE (rounds, failed, stats) WHERE period IN ('1h', '1d')`
        : 'DROP INDEX IF EXISTS check_rollups_chart',
    );
    const { rows } = await bench.db.raw(
      `SELECT pg_size_pretty(pg_relation_size('check_rollups')) heap,
              pg_size_pretty(pg_relation_size('check_rollups_pkey')) key,
              pg_size_pretty(coalesce(pg_relation_size(to_regclass('check_rollups_chart')), 0)) chart`,
    );
    console.log(
      `${covering ? 'with the covering index of migration 035' : 'without it, as before migration 035'}: ` +
        `${Math.round((performance.now() - t) / 1000)} s; rollups ${rows[0].heap}, key ${rows[0].key}, ` +
        `covering index ${rows[0].chart}; load ${load()}`,
    );
  };
  await swap(false);
  await explain(pick(1)[0]!);
  await timeBoth(pick(2));
  await swap(true);
  await explain(pick(3)[0]!);
  await timeBoth(pick(4));
}

function mb(bytes: number) {
  return `${Math.round(bytes / 1024 / 1024)} MB`;
}
