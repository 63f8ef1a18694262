import type { Knex } from 'knex';
import { runExclusively } from '../db/job-lock.js';
import type { Database } from '../db/database.js';
import { partitionDay, partitionDdl, partitionName } from '../db/time-partitions.js';
import { TimescaleRepository } from './timescale.repository.js';

export type Backend = 'postgres' | 'timescaledb';
import type { Period } from '../db/timescale-schema.js';

export type { Period };

export interface FieldStats {
  n: number;
  min: number;
  max: number;
  mean: number;
  median: number;
}

export interface RoundRow {
  at: Date;
  status: 'ok' | 'failed';
  reason: string | null;
  fields: Record<string, unknown>;
  samples: (number | null)[] | null;
}

/** A check's buckets from `from` up to `to`, to recompute. */
export interface RollupSpan {
  checkId: string;
  from: Date;
  to: Date;
}

const PERIOD_UNIT: Record<Period, string> = { '1m': 'minute', '1h': 'hour', '1d': 'day' };

/** Every SQL statement of the time series: partitions, rollups and the reads the UI makes. */
export class TimeseriesRepository {
  /** The statements of the TimescaleDB path only. */
  readonly timescale: TimescaleRepository;

  constructor(private readonly db: Database) {
    this.timescale = new TimescaleRepository(db);
  }

  async backend(): Promise<Backend> {
    const row = await this.db('timeseries_backend').first('name');
    return (row?.name as Backend | undefined) ?? 'postgres';
  }

  /** Day partitions of `check_results` that exist (plain PostgreSQL path). */
  async partitionDays(): Promise<Date[]> {
    const rows = await this.db.raw(
      `SELECT c.relname AS name FROM pg_inherits i
       JOIN pg_class c ON c.oid = i.inhrelid
       JOIN pg_class p ON p.oid = i.inhparent
       WHERE p.relname = 'check_results'`,
    );
    return (rows.rows as { name: string }[])
      .map((r) => partitionDay(r.name))
      .filter((d): d is Date => d !== null)
      .sort((a, b) => a.getTime() - b.getTime());
  }

  /**
   * Creates the partitions of these UTC days unless they exist. An advisory lock per day keeps
   * two hubs from racing on the same CREATE.
   */
  async ensurePartitions(days: Date[]): Promise<void> {
    for (const day of days) {
      await this.db.transaction(async (trx) => {
        await trx.raw('SELECT pg_advisory_xact_lock(hashtext(?))', [partitionName(day)]);
        await trx.raw(partitionDdl(day));
      });
    }
  }

  async dropPartition(day: Date): Promise<void> {
    await this.db.raw(`DROP TABLE IF EXISTS ${partitionName(day)}`);
  }

  /** Runs `work` once across hub processes (db/job-lock.ts). */
  exclusively<T>(name: string, work: (trx: Knex.Transaction) => Promise<T>) {
    return runExclusively(this.db, name, work);
  }

  /** Takes up to `limit` dirty hours off the list (the caller's transaction restores them on failure). */
  async takeDirtyHours(trx: Knex.Transaction, limit: number) {
    const rows = await trx.raw(
      `DELETE FROM rollup_dirty_hours WHERE (check_id, hour) IN (
         SELECT check_id, hour FROM rollup_dirty_hours ORDER BY hour LIMIT ?)
       RETURNING check_id, hour`,
      [limit],
    );
    return (rows.rows as { check_id: string; hour: Date }[]).map((r) => ({
      checkId: r.check_id,
      hour: r.hour,
    }));
  }

  /** Puts hours taken off the list back, for the next run (TimescaleDB path). */
  async restoreDirtyHours(items: { checkId: string; hour: Date }[]) {
    await this.db.raw(
      `INSERT INTO rollup_dirty_hours (check_id, hour)
       SELECT * FROM unnest(?::uuid[], ?::timestamptz[])
       ON CONFLICT (check_id, hour) DO NOTHING`,
      [items.map((i) => i.checkId), items.map((i) => i.hour)] as unknown as Knex.RawBinding[],
    );
  }

  async markDirtyDays(trx: Knex.Transaction, items: { checkId: string; day: Date }[]) {
    if (items.length === 0) return;
    await trx.raw(
      `INSERT INTO rollup_dirty_days (check_id, day)
       SELECT * FROM unnest(?::uuid[], ?::timestamptz[])
       ON CONFLICT (check_id, day) DO NOTHING`,
      [items.map((i) => i.checkId), items.map((i) => i.day)] as unknown as Knex.RawBinding[],
    );
  }

  /**
   * Takes the dirty days that are due: the day is over, or it was marked more than
   * `settleSeconds` ago. A day's median needs all of its rounds, so the running day is
   * recomputed at that cadence rather than on every batch.
   */
  async takeDueDays(trx: Knex.Transaction, now: Date, settleSeconds: number, limit: number) {
    const rows = await trx.raw(
      `DELETE FROM rollup_dirty_days WHERE (check_id, day) IN (
         SELECT check_id, day FROM rollup_dirty_days
         WHERE day + interval '1 day' <= ? OR marked_at <= ?::timestamptz - make_interval(secs => ?)
         ORDER BY day LIMIT ?)
       RETURNING check_id, day`,
      [now, now, settleSeconds, limit],
    );
    return (rows.rows as { check_id: string; day: Date }[]).map((r) => ({
      checkId: r.check_id,
      day: r.day,
    }));
  }

  /**
   * Recomputes the `period` buckets of every span (a check and [from, to)) from its rounds, in
   * two statements whatever the number of spans: the rollup job takes up to 500 dirty hours a
   * run, and one statement pair per hour and period was two thousand round trips a minute
   * beside the fleet's ingest (docs/benchmarks.md, "Where the ingest lag comes from").
   */
  async recompute(trx: Knex.Transaction, period: Period, spans: RollupSpan[]): Promise<void> {
    if (spans.length === 0) return;
    const unit = PERIOD_UNIT[period];
    const ids = spans.map((s) => s.checkId);
    const froms = spans.map((s) => s.from);
    const tos = spans.map((s) => s.to);
    const bind = (values: unknown[]) => values as unknown as Knex.RawBinding[];
    await trx.raw(
      `DELETE FROM check_rollups r
        USING unnest(?::uuid[], ?::timestamptz[], ?::timestamptz[]) AS s(check_id, from_at, to_at)
        WHERE r.check_id = s.check_id AND r.period = ? AND r.bucket >= s.from_at
          AND r.bucket < s.to_at`,
      bind([ids, froms, tos, period]),
    );
    await trx.raw(
      `WITH rounds AS (
         SELECT s.check_id, date_trunc(?, c.at, 'UTC') AS bucket, c.status, c.fields
         FROM unnest(?::uuid[], ?::timestamptz[], ?::timestamptz[]) AS s(check_id, from_at, to_at)
         JOIN check_results c ON c.check_id = s.check_id AND c.at >= s.from_at AND c.at < s.to_at
       ), field_values AS (
         SELECT check_id, bucket, f.key AS field, (f.value #>> '{}')::float8 AS v
         FROM rounds, jsonb_each(fields) AS f
         WHERE jsonb_typeof(f.value) = 'number'
       ), field_stats AS (
         SELECT check_id, bucket, jsonb_object_agg(field, jsonb_build_object(
                  'n', n, 'min', min, 'max', max, 'mean', mean, 'median', median)) AS stats
         FROM (SELECT check_id, bucket, field, count(*) AS n, min(v) AS min, max(v) AS max,
                      avg(v) AS mean, percentile_cont(0.5) WITHIN GROUP (ORDER BY v) AS median
               FROM field_values GROUP BY check_id, bucket, field) f
         GROUP BY check_id, bucket
       ), buckets AS (
         SELECT check_id, bucket, count(*) AS rounds,
                count(*) FILTER (WHERE status = 'failed') AS failed
         FROM rounds GROUP BY check_id, bucket
       )
       INSERT INTO check_rollups (check_id, period, bucket, rounds, failed, stats)
       SELECT b.check_id, ?, b.bucket, b.rounds, b.failed, coalesce(s.stats, '{}'::jsonb)
       FROM buckets b LEFT JOIN field_stats s ON s.check_id = b.check_id AND s.bucket = b.bucket`,
      bind([unit, ids, froms, tos, period]),
    );
  }

  /** `archive`: the rollups an older hub made on TimescaleDB (migration 014). */
  async deleteRollupsBefore(period: Period, before: Date, from?: 'archive'): Promise<number> {
    return this.db(from === 'archive' ? 'check_rollups_archive' : 'check_rollups')
      .where({ period })
      .andWhere('bucket', '<', before)
      .delete();
  }

  async rounds(checkId: string, from: Date, to: Date, limit: number): Promise<RoundRow[]> {
    return this.db('check_results')
      .where('check_id', checkId)
      .andWhere('at', '>=', from)
      .andWhere('at', '<', to)
      .orderBy('at')
      .limit(limit)
      .select('at', 'status', 'reason', 'fields', 'samples');
  }

  /**
   * The last `limit` rounds of every live check (of `tenantId`, or all) since `from`, newest
   * first: one index scan per check on (check, time).
   */
  async heartbeats(
    tenantId: string | null,
    from: Date,
    limit: number,
  ): Promise<{ check_id: string; at: Date; status: 'ok' | 'failed' }[]> {
    const result = await this.db.raw(
      `SELECT c.id AS check_id, r.at, r.status FROM checks c
       CROSS JOIN LATERAL (SELECT at, status FROM check_results
         WHERE check_id = c.id AND at >= ? ORDER BY at DESC LIMIT ?) r
       WHERE c.removed_at IS NULL ${tenantId ? 'AND c.tenant_id = ?' : ''}
       ORDER BY c.id, r.at`,
      tenantId ? [from, limit, tenantId] : [from, limit],
    );
    return result.rows;
  }

  /**
   * A chart's rollups as the JSON text of the series answer's points, with their totals.
   * PostgreSQL writes each point from the stored statistics' own text: a 30-day chart's 720
   * points are not parsed into objects by the hub only to be serialised again (docs/benchmarks.md
   * "Time to chart"). `t` is written as `Date#toISOString` writes it.
   */
  async rollupPointsJson(
    checkId: string,
    period: Period,
    from: Date,
    to: Date,
  ): Promise<{ points: string; rounds: number; failed: number }> {
    const { rows } = await this.rollupsQuery(checkId, period, from, to);
    return rows[0];
  }

  /** A chart's read: of hours and days, an index-only scan (migration 035). */
  rollupsQuery(checkId: string, period: Period, from: Date, to: Date) {
    return this.db.raw(
      `SELECT coalesce(string_agg(
                '{"t":"' || to_char(bucket AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') ||
                '","rounds":' || rounds || ',"failed":' || failed || ',"stats":' || stats::text || '}',
                ',' ORDER BY bucket), '') AS points,
              coalesce(sum(rounds), 0)::int AS rounds, coalesce(sum(failed), 0)::int AS failed
         FROM check_rollups
        WHERE check_id = ? AND period = ? AND bucket >= ? AND bucket < ?`,
      [checkId, period, from, to],
    );
  }
}
