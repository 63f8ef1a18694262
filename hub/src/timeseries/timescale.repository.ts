import type { Knex } from 'knex';
import type { Database } from '../db/database.js';
import {
  CAGG_OF_PERIOD,
  COMPRESS_AFTER_DAYS,
  REFRESH_EVERY,
  type TimescalePolicies,
} from '../db/timescale-schema.js';
import type { Period } from '../db/timescale-schema.js';
import type { JobState } from '../core/job-health.js';

/**
 * The statements only the TimescaleDB path makes: its policies (compression, retention,
 * refresh of the continuous aggregates) and refreshes on demand.
 */
export class TimescaleRepository {
  constructor(private readonly db: Database) {}

  /**
   * Sets every policy to what the settings say; run at start under the caller's lock.
   * Removing and adding again is how TimescaleDB changes a policy's interval.
   */
  async applyPolicies(trx: Knex.Transaction, p: TimescalePolicies): Promise<void> {
    await trx.raw(
      `SELECT add_compression_policy('check_results', compress_after => make_interval(days => ?),
                                     if_not_exists => true)`,
      [COMPRESS_AFTER_DAYS],
    );
    // Whole chunks past retention, checked hourly like the plain path's partitions. A chunk
    // [D, D+1 day) goes once D+1 day <= now() - retention, i.e. exactly when its day falls
    // before the hub's horizon (TimeseriesService.horizon), so both paths keep the same days.
    await this.setRetention(trx, 'check_results', p.retentionDays);
    for (const [period, name] of Object.entries(CAGG_OF_PERIOD) as [Period, string][]) {
      const days = p.rollupRetentionDays[period];
      await trx.raw(`SELECT remove_retention_policy(?, if_exists => true)`, [name]);
      if (days !== undefined) await this.setRetention(trx, name, days);
      // The refresh window stops at the raw retention: refreshing buckets whose rounds were
      // dropped would empty them, and a rollup must outlive its rounds.
      await trx.raw(`SELECT remove_continuous_aggregate_policy(?, if_exists => true)`, [name]);
      await trx.raw(
        `SELECT add_continuous_aggregate_policy(?, start_offset => make_interval(days => ?),
           end_offset => interval '1 minute', schedule_interval => ?::interval)`,
        [name, Math.max(p.retentionDays, 3), REFRESH_EVERY[period]],
      );
    }
  }

  private async setRetention(trx: Knex.Transaction, table: string, days: number) {
    await trx.raw(`SELECT remove_retention_policy(?, if_exists => true)`, [table]);
    await trx.raw(
      `SELECT add_retention_policy(?, drop_after => make_interval(days => ?),
                                   schedule_interval => interval '1 hour')`,
      [table, days],
    );
  }

  /**
   * Rematerializes the aggregate of `period` in [from, to) where rounds changed (only the
   * invalidated parts are recomputed). Not inside a transaction: TimescaleDB refuses that.
   * False when a refresh of an overlapping window runs (a policy): TimescaleDB then fails
   * at once with lock_not_available rather than wait.
   */
  async refresh(period: Period, from: Date, to: Date): Promise<boolean> {
    try {
      await this.db.raw(`CALL refresh_continuous_aggregate(?, ?::timestamptz, ?::timestamptz)`, [
        CAGG_OF_PERIOD[period],
        from,
        to,
      ]);
      return true;
    } catch (err) {
      if ((err as { code?: string }).code === LOCK_NOT_AVAILABLE) return false;
      throw err;
    }
  }

  /**
   * TimescaleDB's background jobs in this database (its policies and its own upkeep), with
   * their statistics and latest error (timescaledb_information.job_stats, job_errors). Failed
   * runs in a row are the errors since the last successful finish.
   */
  async jobs(): Promise<JobState[]> {
    const { rows } = await this.db.raw(
      `SELECT j.job_id, j.application_name, j.proc_name,
              coalesce(ca.view_name, j.hypertable_name) AS target,
              s.last_run_started_at, s.last_successful_finish, s.last_run_duration,
              s.next_start, coalesce(s.total_runs, 0)::int AS runs,
              coalesce(s.total_failures, 0)::int AS failures,
              e.failed_since_success::int, e.failing_since, e.last_failure, e.last_error
         FROM timescaledb_information.jobs j
         LEFT JOIN timescaledb_information.job_stats s ON s.job_id = j.job_id
         LEFT JOIN timescaledb_information.continuous_aggregates ca
           ON ca.materialization_hypertable_schema = j.hypertable_schema
          AND ca.materialization_hypertable_name = j.hypertable_name
         LEFT JOIN LATERAL (
           SELECT count(*) FILTER (
                    WHERE er.start_time > coalesce(s.last_successful_finish, '-infinity'))
                    AS failed_since_success,
                  min(er.start_time) FILTER (
                    WHERE er.start_time > coalesce(s.last_successful_finish, '-infinity'))
                    AS failing_since,
                  max(er.start_time) AS last_failure,
                  (array_agg(er.err_message ORDER BY er.start_time DESC))[1] AS last_error
             FROM timescaledb_information.job_errors er WHERE er.job_id = j.job_id) e ON true
        ORDER BY j.job_id`,
    );
    return (rows as JobRow[]).map((r) => ({
      // By procedure and table, not by id: the hub sets its policies anew at every start, and
      // their ids change, while a job's ticket must stay the same one.
      name: `timescaledb:${r.proc_name}${r.target ? ` ${r.target}` : ` ${r.job_id}`}`,
      kind: 'timescaledb',
      procedure: r.proc_name,
      target: r.target,
      runs: r.runs,
      failures: r.failures,
      consecutiveFailures: r.failed_since_success ?? 0,
      failingSince: dateOf(r.failing_since),
      lastRunAt: dateOf(r.last_run_started_at),
      lastSuccessAt: dateOf(r.last_successful_finish),
      lastFailureAt: dateOf(r.last_failure),
      lastError: r.last_error,
      lastDurationMs: intervalMs(r.last_run_duration),
      nextRunAt: dateOf(r.next_start),
    }));
  }
}

interface JobRow {
  job_id: number;
  application_name: string;
  proc_name: string;
  target: string | null;
  last_run_started_at: Date | number | null;
  last_successful_finish: Date | number | null;
  last_run_duration: PgInterval | null;
  next_start: Date | number | null;
  runs: number;
  failures: number;
  failed_since_success: number | null;
  failing_since: Date | number | null;
  last_failure: Date | number | null;
  last_error: string | null;
}

/**
 * TimescaleDB writes -infinity for "never" (a job that never succeeded), which node-postgres
 * reads as the number -Infinity: that is no time.
 */
function dateOf(value: Date | number | null): Date | null {
  return value instanceof Date && Number.isFinite(value.getTime()) ? value : null;
}

/** node-postgres gives an interval as its parts. */
type PgInterval = Partial<
  Record<'days' | 'hours' | 'minutes' | 'seconds' | 'milliseconds', number>
>;

function intervalMs(i: PgInterval | null): number | null {
  if (!i) return null;
  return (
    ((((i.days ?? 0) * 24 + (i.hours ?? 0)) * 60 + (i.minutes ?? 0)) * 60 + (i.seconds ?? 0)) *
      1000 +
    (i.milliseconds ?? 0)
  );
}

const LOCK_NOT_AVAILABLE = '55P03';
