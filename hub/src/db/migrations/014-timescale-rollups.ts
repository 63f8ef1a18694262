import type { Knex } from 'knex';
import { CAGG_OF_PERIOD } from '../../db/timescale-schema.js';

/**
 * The TimescaleDB path made whole (docs/timescaledb.md): where 003 made
 * `check_results` a hypertable, its chunks are compressed (segmented by check, ordered by
 * time) and the rollups per minute, hour and day become continuous aggregates. `check_rollups`
 * turns into a view over them with the same columns, so every reader asks the same question
 * on both paths. The policies (compression, retention, refresh) depend on BW_RETENTION_DAYS
 * and are set by the hub at start (TimeseriesService.start). On plain PostgreSQL this
 * migration does nothing: the hub's own rollups stay as they are.
 *
 * Not in knex's transaction: the first refresh of a continuous aggregate cannot run inside
 * one. The DDL still runs in one transaction of its own.
 */
export const config = { transaction: false };

export async function up(knex: Knex): Promise<void> {
  if (!(await onTimescale(knex))) return;
  await knex.transaction(async (trx) => {
    // TimescaleDB 2.28 refuses compression and continuous aggregates on a hypertable with
    // row-level security (docs/decisions.md "TimescaleDB path"): rounds are read only through
    // a check or branch that RLS has already let through, as the rollups are on both paths.
    await trx.raw('DROP POLICY tenant_isolation ON check_results');
    await trx.raw('ALTER TABLE check_results DISABLE ROW LEVEL SECURITY');
    await trx.raw(`ALTER TABLE check_results SET (timescaledb.compress,
      timescaledb.compress_segmentby = 'check_id', timescaledb.compress_orderby = 'at')`);
    await trx.raw(FIELD_STATS_FINAL);
    await trx.raw(FIELD_STATS);
    // The rollups an older hub made here are kept where the aggregates cannot make them
    // again: buckets that end before the first round still stored.
    await trx.raw('ALTER TABLE check_rollups RENAME TO check_rollups_archive');
    await trx.raw(
      'ALTER TABLE check_rollups_archive RENAME CONSTRAINT check_rollups_pkey TO check_rollups_archive_pkey',
    );
    await trx.raw(`DELETE FROM check_rollups_archive
      WHERE bucket + CASE period WHEN '1m' THEN interval '1 minute'
                                 WHEN '1h' THEN interval '1 hour' ELSE interval '1 day' END
            > coalesce((SELECT min(at) FROM check_results), 'infinity')`);
    // Day marks are the plain path's: here the aggregates follow the days themselves.
    await trx.raw('DELETE FROM rollup_dirty_days');
    for (const [period, name] of Object.entries(CAGG_OF_PERIOD)) {
      await trx.raw(caggDdl(name, BUCKET_WIDTH[period as keyof typeof BUCKET_WIDTH]));
    }
    await trx.raw(`CREATE VIEW check_rollups AS
      ${Object.entries(CAGG_OF_PERIOD)
        .map(
          ([period, name]) =>
            `SELECT check_id, '${period}'::text AS period, bucket, rounds::int AS rounds,
                    failed::int AS failed, stats FROM ${name}`,
        )
        .join(' UNION ALL ')}
      UNION ALL
      SELECT check_id, period, bucket, rounds, failed, stats FROM check_rollups_archive`);
  });
  // Materialize what the hypertable already holds; later rounds are refreshed by the policies
  // and by the hub's rollup job (the windows its dirty marks name).
  for (const name of Object.values(CAGG_OF_PERIOD)) {
    await knex.raw(`CALL refresh_continuous_aggregate(?, NULL, NULL)`, [name]);
  }
}

export async function down(knex: Knex): Promise<void> {
  if (!(await onTimescale(knex))) return;
  await knex.transaction(async (trx) => {
    // What the aggregates hold becomes the hub's table again.
    await trx.raw(`INSERT INTO check_rollups_archive SELECT * FROM check_rollups
      ON CONFLICT (check_id, period, bucket) DO NOTHING`);
    await trx.raw('DROP VIEW check_rollups');
    for (const name of Object.values(CAGG_OF_PERIOD)) {
      await trx.raw(`DROP MATERIALIZED VIEW ${name}`);
    }
    await trx.raw('DROP AGGREGATE bw_field_stats(jsonb)');
    await trx.raw('DROP FUNCTION bw_field_stats_final(jsonb[])');
    await trx.raw(`SELECT remove_compression_policy('check_results', if_exists => true)`);
    await trx.raw(`SELECT remove_retention_policy('check_results', if_exists => true)`);
    await trx.raw(
      `SELECT decompress_chunk(c, if_compressed => true) FROM show_chunks('check_results') c`,
    );
    await trx.raw('ALTER TABLE check_results SET (timescaledb.compress = false)');
    await trx.raw('ALTER TABLE check_results ENABLE ROW LEVEL SECURITY');
    // As 010-rls made it.
    await trx.raw(`CREATE POLICY tenant_isolation ON check_results
      USING (EXISTS (SELECT 1 FROM checks p WHERE p.id = check_results.check_id))
      WITH CHECK (EXISTS (SELECT 1 FROM checks p WHERE p.id = check_results.check_id))`);
    await trx.raw('ALTER TABLE check_rollups_archive RENAME TO check_rollups');
    await trx.raw(
      'ALTER TABLE check_rollups RENAME CONSTRAINT check_rollups_archive_pkey TO check_rollups_pkey',
    );
  });
}

async function onTimescale(knex: Knex): Promise<boolean> {
  const row = await knex('timeseries_backend').first('name');
  return row?.name === 'timescaledb';
}

const BUCKET_WIDTH = { '1m': '1 minute', '1h': '1 hour', '1d': '1 day' } as const;

/**
 * `stats` of one bucket: per numeric field of its rounds, { n, min, max, mean, median }, the
 * very statement of the plain path's rollup (TimeseriesRepository.recompute) over the bucket's
 * `fields`. A continuous aggregate allows no set-returning function in FROM, so the fields are
 * collected by an aggregate and taken apart in its final function.
 */
const FIELD_STATS_FINAL = `
  CREATE FUNCTION bw_field_stats_final(rounds jsonb[]) RETURNS jsonb
  LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT coalesce(jsonb_object_agg(s.field, jsonb_build_object(
             'n', s.n, 'min', s.min, 'max', s.max, 'mean', s.mean, 'median', s.median)),
           '{}'::jsonb)
    FROM (
      SELECT f.key AS field, count(*) AS n, min(v.v) AS min, max(v.v) AS max, avg(v.v) AS mean,
             percentile_cont(0.5) WITHIN GROUP (ORDER BY v.v) AS median
      FROM unnest(rounds) AS r(fields), jsonb_each(r.fields) AS f,
           LATERAL (SELECT (f.value #>> '{}')::float8 AS v) AS v
      WHERE jsonb_typeof(f.value) = 'number'
      GROUP BY f.key) AS s $$`;

const FIELD_STATS = `
  CREATE AGGREGATE bw_field_stats(jsonb) (
    SFUNC = array_append, STYPE = jsonb[], INITCOND = '{}', FINALFUNC = bw_field_stats_final)`;

/** Buckets in UTC like the plain path's date_trunc(…, 'UTC'); real-time: never behind. */
function caggDdl(name: string, width: string): string {
  return `CREATE MATERIALIZED VIEW ${name}
    WITH (timescaledb.continuous, timescaledb.materialized_only = false) AS
    SELECT check_id, time_bucket(interval '${width}', at) AS bucket, count(*) AS rounds,
           count(*) FILTER (WHERE status = 'failed') AS failed, bw_field_stats(fields) AS stats
    FROM check_results
    GROUP BY check_id, time_bucket(interval '${width}', at)
    WITH NO DATA`;
}
