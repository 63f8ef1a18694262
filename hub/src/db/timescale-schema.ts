/**
 * Names and settings of the TimescaleDB path (docs/timescaledb.md). The migration that makes
 * the continuous aggregates and the policies the hub sets at start both use these.
 */

/** Rollup periods: per minute, hour and day. */
export type Period = '1m' | '1h' | '1d';

/** The continuous aggregate that holds each rollup period; `check_rollups` is their union. */
export const CAGG_OF_PERIOD: Record<Period, string> = {
  '1m': 'check_rollups_1m',
  '1h': 'check_rollups_1h',
  '1d': 'check_rollups_1d',
};

/** Chunks of rounds are compressed once this old: late rounds from a spool mostly come sooner. */
export const COMPRESS_AFTER_DAYS = 3;

/**
 * How often each aggregate's refresh policy runs: minutes and hours about as often as the
 * plain path's rollup job, the running day like its DAY_SETTLE_SECONDS.
 */
export const REFRESH_EVERY: Record<Period, string> = {
  '1m': '1 minute',
  '1h': '1 minute',
  '1d': '10 minutes',
};

export interface TimescalePolicies {
  /** Days of raw rounds kept (BW_RETENTION_DAYS). */
  retentionDays: number;
  /** Days each rollup period is kept; absent: for good. */
  rollupRetentionDays: Partial<Record<Period, number>>;
}
