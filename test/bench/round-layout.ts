/**
 * Round layout benchmark (`pnpm bench:layout [-- --rows 100000 --checks 1000 --repeat 3]`), not
 * part of `pnpm test`. What the layout of `check_results` costs a raw `COPY … FROM STDIN`, and
 * what ingest's per-check statements cost beside it, on an embedded PostgreSQL migrated to
 * the latest schema. Figures are PostgreSQL backend CPU per row (from /proc, steadier than
 * wall-clock on a shared machine) and rows/s; the median of `--repeat` runs is printed.
 *
 * Layouts, each a table of its own filled with the same ICMP rounds (8 measured fields, 20 RTT
 * samples): the table as migrated (day partitions, key, foreign key to checks), and copies of it
 * without the foreign key, without partitions, without both, and with `samples` empty. The
 * per-check statements are those of a group commit (ingest.repository.ts): the check lock, the
 * progress update and the dirty-hour upsert, for `--checks` checks at once.
 */
import fs from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { connectDatabase, createLogger, migrate, startEmbeddedPostgres } from '@branchwatch/hub';
import { cpuSecondsOf, loadAverage } from './hub-bench.js';

const { values: args } = parseArgs({
  args: process.argv.slice(2).filter((a) => a !== '--'),
  options: {
    rows: { type: 'string', default: '100000' },
    checks: { type: 'string', default: '1000' },
    repeat: { type: 'string', default: '3' },
  },
});
const ROWS = Number(args.rows);
const CHECKS = Number(args.checks);
const REPEAT = Number(args.repeat);

const work = await mkdtemp(path.join(tmpdir(), 'bw-layout-'));
fs.chmodSync(work, 0o755);
const server = await startEmbeddedPostgres(path.join(work, 'pg'), createLogger('warn'));
const db = connectDatabase(server.url);
const client = new pg.Client({ connectionString: server.url });
try {
  await migrate(db);
  await client.connect();
  const backend = Number((await client.query('SELECT pg_backend_pid() AS pid')).rows[0].pid);
  const q = (sql: string, params?: unknown[]) => client.query(sql, params);

  const tenant = (
    await q(`INSERT INTO tenants (slug, name) VALUES ('layout', 'Layout') RETURNING id`)
  ).rows[0].id as string;
  const branch = (
    await q(`INSERT INTO branches (tenant_id, slug, name) VALUES ($1, 'b', 'B') RETURNING id`, [
      tenant,
    ])
  ).rows[0].id as string;
  const agent = (
    await q(
      `INSERT INTO agents (tenant_id, branch_id, slug, name, username, password_hash)
       VALUES ($1, $2, 'a', 'A', 'layout.b.a', 'x') RETURNING id`,
      [tenant, branch],
    )
  ).rows[0].id as string;
  const checkIds = (
    await q(
      `INSERT INTO checks (tenant_id, branch_id, agent_id, key, type, target)
       SELECT $1, $2, $3, 'icmp-' || i, 'icmp', '10.0.0.' || i FROM generate_series(1, $4) i
       RETURNING id`,
      [tenant, branch, agent, CHECKS],
    )
  ).rows.map((r) => r.id as string);

  // Day partitions for the rounds (as the hub makes them), and the layouts beside them.
  const start = Date.UTC(2026, 0, 10);
  const days = Math.ceil(((ROWS / CHECKS) * 60_000 * REPEAT * 8) / 86_400_000) + 1;
  const partitioned = async (name: string, fk: boolean) => {
    await q(`CREATE TABLE ${name} (LIKE check_results INCLUDING DEFAULTS,
      ${fk ? 'FOREIGN KEY (check_id) REFERENCES checks(id) ON DELETE CASCADE,' : ''}
      PRIMARY KEY (check_id, at)) PARTITION BY RANGE (at)`);
    for (let d = 0; d < days; d++) {
      const from = new Date(start + d * 86_400_000).toISOString();
      const to = new Date(start + (d + 1) * 86_400_000).toISOString();
      await q(
        `CREATE TABLE ${name}_${d} PARTITION OF ${name} FOR VALUES FROM ('${from}') TO ('${to}')`,
      );
    }
  };
  await partitioned('layout_partitioned_fk', true);
  await partitioned('layout_partitioned', false);
  await q(`CREATE TABLE layout_plain_fk (LIKE check_results INCLUDING DEFAULTS,
    FOREIGN KEY (check_id) REFERENCES checks(id) ON DELETE CASCADE, PRIMARY KEY (check_id, at))`);
  await q(
    `CREATE TABLE layout_plain (LIKE check_results INCLUDING DEFAULTS, PRIMARY KEY (check_id, at))`,
  );

  const fields = JSON.stringify({
    sent: 20,
    received: 20,
    loss: 0,
    min: 1.112,
    median: 2.241,
    p95: 3.353,
    max: 4.418,
    jitter: 0.531,
  });
  const samples = `{${Array.from({ length: 20 }, (_, i) => (1.1 + i * 0.17).toFixed(3)).join(',')}}`;
  let offset = 0;
  const rounds = (withSamples: boolean) => {
    const lines: string[] = [];
    for (let i = 0; i < ROWS; i++) {
      const at = new Date(start + (offset + Math.floor(i / CHECKS)) * 60_000).toISOString();
      lines.push(
        `${checkIds[i % CHECKS]}\t${at}\tok\t\\N\t${fields}\t${withSamples ? samples : '\\N'}\tf\t${i}\n`,
      );
    }
    offset += Math.ceil(ROWS / CHECKS);
    return Buffer.from(lines.join(''));
  };
  const cpu = () => cpuSecondsOf(backend);
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

  const copyInto = async (table: string, withSamples = true) => {
    const perRow: number[] = [];
    const rates: number[] = [];
    for (let r = 0; r < REPEAT; r++) {
      const data = rounds(withSamples);
      const c0 = cpu();
      const t0 = performance.now();
      await pipeline(
        Readable.from([data]),
        client.query(
          copyFrom(
            `COPY ${table} (check_id, at, status, reason, fields, samples, replayed, batch_seq) FROM STDIN`,
          ),
        ),
      );
      rates.push(ROWS / ((performance.now() - t0) / 1000));
      perRow.push(((cpu() - c0) * 1e6) / ROWS);
    }
    return { rate: median(rates), cpu: median(perRow) };
  };

  console.log(
    `round layout: ${ROWS} ICMP rounds per COPY over ${CHECKS} checks, median of ${REPEAT}`,
  );
  console.log(`  load average at start: ${loadAverage()}`);
  const layouts: [string, string, boolean][] = [
    ['check_results as migrated', 'check_results', true],
    ['day partitions + key + foreign key (copy)', 'layout_partitioned_fk', true],
    ['day partitions + key, no foreign key', 'layout_partitioned', true],
    ['one table + key + foreign key', 'layout_plain_fk', true],
    ['one table + key', 'layout_plain', true],
    ['day partitions + key, no foreign key, no samples', 'layout_partitioned', false],
  ];
  // check_results gets partitions from the hub's own DDL for the days used.
  const { partitionDdl } = await import('../../hub/src/db/time-partitions.js');
  for (let d = 0; d < days; d++) await q(partitionDdl(new Date(start + d * 86_400_000)));
  const baseline = await copyInto('check_results');
  for (const [label, table, withSamples] of layouts) {
    const r = table === 'check_results' ? baseline : await copyInto(table, withSamples);
    console.log(
      `  ${label.padEnd(50)} ${String(Math.round(r.rate)).padStart(7)} rows/s  ` +
        `${r.cpu.toFixed(1).padStart(5)} µs CPU/row  (${(baseline.cpu / r.cpu).toFixed(2)} × fewer than as migrated)`,
    );
  }
  const size = await q(`SELECT
    (SELECT sum(pg_total_relation_size(inhrelid)) FROM pg_inherits
     WHERE inhparent = 'layout_partitioned'::regclass) AS b,
    (SELECT count(*) FROM layout_partitioned) AS n`);
  console.log(
    `  bytes per round on disk (partitioned, with samples and without): ${Math.round(Number(size.rows[0].b) / Number(size.rows[0].n))}`,
  );

  // Ingest's per-check statements for CHECKS checks, each in its own transaction.
  const ids = [...checkIds].sort();
  const lastAt = () => new Date(start + offset++ * 60_000);
  const progress = (table: string) => () => {
    const at = lastAt();
    return q(
      `UPDATE ${table} AS c SET last_result_at = u.at, last_status = 'ok', last_reason = NULL,
         last_fields = u.fields, state = 'ok', ok_streak = c.ok_streak + 1
       FROM unnest($1::uuid[], $2::timestamptz[], $3::jsonb[]) AS u(id, at, fields)
       WHERE c.id = u.id`,
      [ids, ids.map(() => at), ids.map(() => fields)],
    );
  };
  // The same columns in a narrow table of their own, as a place to keep them out of checks.
  await q(`CREATE TABLE layout_progress (id uuid PRIMARY KEY REFERENCES checks(id),
    last_result_at timestamptz, last_status text, last_reason text, last_fields jsonb,
    state text NOT NULL DEFAULT 'unknown', ok_streak int NOT NULL DEFAULT 0)
    WITH (fillfactor = 50)`);
  await q(`INSERT INTO layout_progress (id) SELECT id FROM checks`);
  const statements: [string, () => Promise<unknown>][] = [
    [
      'check lock (FOR NO KEY UPDATE)',
      () =>
        q(
          `SELECT id, state, fail_streak, ok_streak FROM checks WHERE id = ANY ($1::uuid[])
           ORDER BY id FOR NO KEY UPDATE`,
          [ids],
        ),
    ],
    [
      'check read, no lock',
      () =>
        q(`SELECT id, state, fail_streak, ok_streak FROM checks WHERE id = ANY ($1::uuid[])`, [
          ids,
        ]),
    ],
    ['progress update of checks (last result, counters)', progress('checks')],
    ['the same in a narrow table, fillfactor 50', progress('layout_progress')],
    [
      'dirty-hour upsert (hour already marked)',
      () =>
        q(
          `INSERT INTO rollup_dirty_hours (check_id, hour)
           SELECT * FROM unnest($1::uuid[], $2::timestamptz[]) ON CONFLICT DO NOTHING`,
          [ids, ids.map(() => new Date(start))],
        ),
    ],
  ];
  for (const [label, run] of statements) {
    // /proc counts CPU in 10 ms ticks: each figure spans 20 transactions.
    const perCheck: number[] = [];
    for (let r = 0; r < REPEAT; r++) {
      const c0 = cpu();
      for (let t = 0; t < 20; t++) {
        await q('BEGIN');
        await run();
        await q('COMMIT');
      }
      perCheck.push(((cpu() - c0) * 1e6) / (20 * CHECKS));
    }
    console.log(`  ${label.padEnd(50)} ${median(perCheck).toFixed(1).padStart(5)} µs CPU/check`);
  }
  // Room on each page for a new version of the row, so that an update that changes no
  // indexed column is a heap-only tuple (no new index entries).
  await q('ALTER TABLE checks SET (fillfactor = 50)');
  await q('VACUUM FULL checks');
  const hot = [];
  for (let r = 0; r < REPEAT; r++) {
    const c0 = cpu();
    for (let t = 0; t < 20; t++) {
      await q('BEGIN');
      await progress('checks')();
      await q('COMMIT');
    }
    hot.push(((cpu() - c0) * 1e6) / (20 * CHECKS));
  }
  const hotShare = await q(`SELECT n_tup_hot_upd::float / nullif(n_tup_upd, 0) AS share
    FROM pg_stat_user_tables WHERE relname = 'checks'`);
  console.log(
    `  ${'progress update of checks at fillfactor 50'.padEnd(50)} ${median(hot).toFixed(1).padStart(5)} µs CPU/check` +
      ` (heap-only updates so far: ${Math.round(Number(hotShare.rows[0].share ?? 0) * 100)} %)`,
  );
} finally {
  await client.end().catch(() => undefined);
  await db.destroy();
  await server.stop();
  await rm(work, { recursive: true, force: true });
}
