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
  },
});
const CHECKS = Number(args.checks);
const DAYS = Number(args.days);
const RAW_DAYS = Number(args['raw-days']);
const HOUR_DAYS = Math.min(DAYS, Number(args['hour-days']));
const CHARTS = Number(args.charts);
const load = loadAverage;

const bench = await startBenchHub({ external: false });
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
  await bench.db.raw('ANALYZE check_rollups; ANALYZE check_results');
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
  const picked = Array.from(
    { length: CHARTS },
    (_, i) => ids[Math.floor((i * ids.length) / CHARTS)]!,
  );
  const timeChart = async (days: number) => {
    const cold: number[] = [];
    const warm: number[] = [];
    let points = 0;
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
    return { cold: cold.sort((a, b) => a - b), warm: warm.sort((a, b) => a - b), points };
  };
  for (const [label, days, goal] of [
    ['30-day chart (hour buckets)', 30, 200],
    ['1-year chart (day buckets)', 365, 500],
  ] as const) {
    const { cold, warm, points } = await timeChart(days);
    const line = (xs: number[]) =>
      `p50 ${Math.round(percentile(xs, 50))} ms, p95 ${Math.round(percentile(xs, 95))} ms, ` +
      `max ${Math.round(xs[xs.length - 1]!)} ms`;
    console.log(
      `${label}, ${points} points, ${CHARTS} checks: first ask ${line(cold)}; again ${line(warm)}; ` +
        `p95 of first asks ${(percentile(cold, 95) / goal).toFixed(2)} × the goal (< ${goal} ms); load ${load()}`,
    );
  }
}

function mb(bytes: number) {
  return `${Math.round(bytes / 1024 / 1024)} MB`;
}
