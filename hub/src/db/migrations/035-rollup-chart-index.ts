import type { Knex } from 'knex';

/**
 * A chart reads one check's rollups of one period over a range: 720 hour rows for 30 days,
 * 365 day rows for a year. The rollup job writes every check's bucket together, so one check's
 * rows lie on as many heap pages as it has rows, and the chart fetched each page
 * (docs/benchmarks.md, "Time to chart"). This index carries the row's figures too
 * (`INCLUDE`), so that such a chart is an index-only scan of a few neighbouring index pages.
 *
 * Hour and day rollups only: they are what the 7-day to one-year charts read, and a few per
 * check per hour are written. Minute rollups, the most rows and written every minute, keep only
 * the key's index; a day of them is read from recent pages anyway. A rollup's `stats` has one
 * entry per numeric field of its probe (10 at most, packages/contract), about 1.5 kB, below
 * the 2,704 bytes an index entry may hold (`hub/src/timeseries/timeseries.test.ts` writes one).
 *
 * On the TimescaleDB path `check_rollups` is a view over continuous aggregates (migration
 * 014) and is left alone.
 */
export async function up(knex: Knex): Promise<void> {
  if (!(await isTable(knex))) return;
  await knex.raw(`CREATE INDEX IF NOT EXISTS check_rollups_chart ON check_rollups
    (check_id, period, bucket) INCLUDE (rounds, failed, stats) WHERE period IN ('1h', '1d')`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('DROP INDEX IF EXISTS check_rollups_chart');
}

async function isTable(knex: Knex): Promise<boolean> {
  const { rows } = await knex.raw<{ rows: { kind: string }[] }>(
    `SELECT relkind AS kind FROM pg_class WHERE oid = to_regclass('check_rollups')`,
  );
  return rows[0]?.kind === 'r';
}
