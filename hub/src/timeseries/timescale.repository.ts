import type { Knex } from 'knex';
import type { Database } from '../db/database.js';
import {
  CAGG_OF_PERIOD,
  COMPRESS_AFTER_DAYS,
  REFRESH_EVERY,
  type TimescalePolicies,
} from '../db/timescale-schema.js';
import type { Period } from '../db/timescale-schema.js';

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
}

const LOCK_NOT_AVAILABLE = '55P03';
