import type { Knex } from 'knex';
import { partitionDdl } from '../../db/time-partitions.js';

/**
 * Rounds become a time-partitioned table, with rollups per minute, hour and day (docs/architecture.md
 * "Storage"). Where the server offers the TimescaleDB extension the rounds table is a
 * hypertable (chunks by day); otherwise it is natively range-partitioned by day, so that old
 * rounds are dropped by whole partitions. Rollups are computed by the hub on both paths, so
 * that both give the same answers (median of the round medians included).
 */
export async function up(knex: Knex): Promise<void> {
  const timescale = await timescaleAvailable(knex);
  if (timescale) await knex.raw('CREATE EXTENSION IF NOT EXISTS timescaledb');

  await knex.raw('ALTER TABLE check_results RENAME TO check_results_unpartitioned');
  await knex.raw(
    'ALTER TABLE check_results_unpartitioned RENAME CONSTRAINT check_results_pkey TO check_results_unpartitioned_pkey',
  );
  const columns = `
    check_id uuid NOT NULL REFERENCES checks(id) ON DELETE CASCADE,
    at timestamptz NOT NULL,
    status text NOT NULL,
    reason text,
    fields jsonb NOT NULL,
    samples real[],
    replayed boolean NOT NULL,
    batch_seq bigint NOT NULL,
    PRIMARY KEY (check_id, at)`;
  if (timescale) {
    await knex.raw(`CREATE TABLE check_results (${columns})`);
    await knex.raw(
      `SELECT create_hypertable('check_results', 'at', chunk_time_interval => interval '1 day')`,
    );
  } else {
    await knex.raw(`CREATE TABLE check_results (${columns}) PARTITION BY RANGE (at)`);
    const span = await knex.raw(
      `SELECT date_trunc('day', min(at), 'UTC') AS first, date_trunc('day', max(at), 'UTC') AS last
       FROM check_results_unpartitioned`,
    );
    const { first, last } = span.rows[0] as { first: Date | null; last: Date | null };
    for (let day = first; day && last && day <= last; day = new Date(day.getTime() + 86400_000)) {
      await knex.raw(partitionDdl(day));
    }
  }
  await knex.raw('INSERT INTO check_results SELECT * FROM check_results_unpartitioned');
  await knex.raw('DROP TABLE check_results_unpartitioned');

  await knex.schema.createTable('timeseries_backend', (t) => {
    t.text('name').primary();
  });
  await knex('timeseries_backend').insert({ name: timescale ? 'timescaledb' : 'postgres' });

  // One row per check, period and bucket; `stats` holds, per numeric field of the rounds,
  // { n, min, max, mean, median }.
  await knex.raw(`
    CREATE TABLE check_rollups (
      check_id uuid NOT NULL REFERENCES checks(id) ON DELETE CASCADE,
      period text NOT NULL CHECK (period IN ('1m', '1h', '1d')),
      bucket timestamptz NOT NULL,
      rounds integer NOT NULL,
      failed integer NOT NULL,
      stats jsonb NOT NULL,
      PRIMARY KEY (check_id, period, bucket)
    )`);
  // Hours whose rounds changed since their rollups were computed, and days likewise.
  await knex.raw(`
    CREATE TABLE rollup_dirty_hours (
      check_id uuid NOT NULL REFERENCES checks(id) ON DELETE CASCADE,
      hour timestamptz NOT NULL,
      PRIMARY KEY (check_id, hour)
    )`);
  await knex.raw(`
    CREATE TABLE rollup_dirty_days (
      check_id uuid NOT NULL REFERENCES checks(id) ON DELETE CASCADE,
      day timestamptz NOT NULL,
      marked_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (check_id, day)
    )`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('rollup_dirty_days');
  await knex.schema.dropTable('rollup_dirty_hours');
  await knex.schema.dropTable('check_rollups');
  await knex.schema.dropTable('timeseries_backend');
}

/**
 * The extension is usable when the server has it and loads it at start: TimescaleDB must be in
 * `shared_preload_libraries`, else CREATE EXTENSION fails (an installed package alone is not
 * enough), and the hub takes the plain path instead.
 */
async function timescaleAvailable(knex: Knex): Promise<boolean> {
  const found = await knex.raw(
    `SELECT 1 FROM pg_available_extensions
     WHERE name = 'timescaledb'
       AND 'timescaledb' = ANY (string_to_array(replace(current_setting('shared_preload_libraries'), ' ', ''), ','))`,
  );
  return found.rowCount > 0;
}
