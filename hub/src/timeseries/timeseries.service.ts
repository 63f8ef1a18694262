import type { Logger } from '../core/logger.js';
import { addDays, utcDay } from '../db/time-partitions.js';
import type { Backend, TimeseriesRepository } from './timeseries.repository.js';
import type { Period } from '../db/timescale-schema.js';
import { JobHealth } from '../core/job-health.js';

export interface TimeseriesSettings {
  /** Days of raw rounds kept; older ones go by whole partitions (or chunks). */
  retentionDays: number;
  /** Seconds between rollup runs. */
  rollupIntervalSeconds: number;
}

/** How long each rollup period is kept; day rollups are kept for good. */
const ROLLUP_RETENTION_DAYS: Partial<Record<Period, number>> = { '1m': 90, '1h': 400 };
/** Days of partitions made ahead of time. */
const PARTITIONS_AHEAD = 7;
/** The running day's rollup is recomputed at most this often (its median needs every round). */
const DAY_SETTLE_SECONDS = 600;
const HOURS_PER_RUN = 500;
const HOUR_MS = 3600_000;

/**
 * The hub's time series: where rounds go (partitions or TimescaleDB chunks), their rollups
 * per minute, hour and day, and retention. Jobs take an advisory lock so that several hub
 * processes run each of them once.
 */
export class TimeseriesService {
  #backend: Backend = 'postgres';
  readonly #knownDays = new Set<number>();
  readonly #timers: NodeJS.Timeout[] = [];
  #running: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly repo: TimeseriesRepository,
    private readonly settings: TimeseriesSettings,
    private readonly logger: Logger,
    private readonly jobs = new JobHealth(),
  ) {}

  get backend(): Backend {
    return this.#backend;
  }

  async start(now = new Date()): Promise<void> {
    this.#backend = await this.repo.backend();
    this.logger.info(
      { backend: this.#backend, retentionDays: this.settings.retentionDays },
      this.#backend === 'timescaledb'
        ? 'time series in TimescaleDB: compressed hypertable, continuous aggregates, policies'
        : 'time series in natively partitioned PostgreSQL tables (TimescaleDB not available)',
    );
    if (this.#backend === 'timescaledb') {
      await this.repo.exclusively('bw:timescale-policies', (trx) =>
        this.repo.timescale.applyPolicies(trx, {
          retentionDays: this.settings.retentionDays,
          rollupRetentionDays: ROLLUP_RETENTION_DAYS,
        }),
      );
    }
    await this.jobs.run('partitions', () => this.maintain(now));
    // A run that found another hub process at work (undefined) is not counted.
    const every = (ms: number, name: string, job: () => Promise<unknown>) => {
      this.jobs.declare(name);
      const skipped = (result: unknown) => result === undefined;
      const timer = setInterval(() => {
        this.#running = this.#running
          .then(() => this.jobs.run(name, job, { skipped }))
          .catch((err: unknown) => {
            this.logger.error({ err }, 'time series job failed');
          });
      }, ms);
      timer.unref();
      this.#timers.push(timer);
    };
    every(this.settings.rollupIntervalSeconds * 1000, 'rollups', () => this.rollup());
    every(HOUR_MS, 'partitions', () => this.maintain());
  }

  async stop(): Promise<void> {
    for (const timer of this.#timers) clearInterval(timer);
    await this.#running;
  }

  /** Rounds older than this are past retention: ingest drops them instead of storing them. */
  horizon(now = new Date()): Date {
    return addDays(utcDay(now), -this.settings.retentionDays);
  }

  /** Makes sure rounds at these times have somewhere to go (plain PostgreSQL path). */
  async prepareFor(times: Date[]): Promise<void> {
    if (this.#backend !== 'postgres') return;
    const missing = [...new Set(times.map((t) => utcDay(t).getTime()))].filter(
      (d) => !this.#knownDays.has(d),
    );
    if (missing.length === 0) return;
    await this.repo.ensurePartitions(missing.map((d) => new Date(d)));
    for (const d of missing) this.#knownDays.add(d);
  }

  /**
   * Partitions ahead, retention of rounds and rollups. On TimescaleDB the extension's policies
   * do this (applied at start), but for the rollups an older hub made there (migration 014).
   */
  async maintain(now = new Date()): Promise<{ dropped: Date[] }> {
    const today = utcDay(now);
    if (this.#backend !== 'postgres') {
      for (const [period, days] of Object.entries(ROLLUP_RETENTION_DAYS)) {
        await this.repo.deleteRollupsBefore(period as Period, addDays(today, -days), 'archive');
      }
      return { dropped: [] };
    }
    const horizon = this.horizon(now);
    const dropped: Date[] = [];
    await this.prepareFor(
      Array.from({ length: PARTITIONS_AHEAD + 2 }, (_, i) => addDays(today, i - 1)),
    );
    for (const day of await this.repo.partitionDays()) {
      if (day >= horizon) continue;
      await this.repo.dropPartition(day);
      this.#knownDays.delete(day.getTime());
      dropped.push(day);
    }
    for (const [period, days] of Object.entries(ROLLUP_RETENTION_DAYS)) {
      await this.repo.deleteRollupsBefore(period as Period, addDays(today, -days));
    }
    if (dropped.length > 0) this.logger.info({ dropped }, 'dropped partitions past retention');
    return { dropped };
  }

  /**
   * Recomputes the rollups of what changed: minute and hour buckets of every dirty hour, and
   * day buckets of the dirty days that are due. Returns what it did, or undefined when
   * another hub process holds the job.
   */
  async rollup(now = new Date()): Promise<{ hours: number; days: number } | undefined> {
    if (this.#backend === 'timescaledb') return this.refreshAggregates(now);
    return this.repo.exclusively('bw:rollups', async (trx) => {
      const hours = await this.repo.takeDirtyHours(trx, HOURS_PER_RUN);
      const hourSpans = hours.map(({ checkId, hour }) => ({
        checkId,
        from: hour,
        to: new Date(hour.getTime() + HOUR_MS),
      }));
      await this.repo.recompute(trx, '1m', hourSpans);
      await this.repo.recompute(trx, '1h', hourSpans);
      await this.repo.markDirtyDays(
        trx,
        hours.map((h) => ({ checkId: h.checkId, day: utcDay(h.hour) })),
      );
      const days = await this.repo.takeDueDays(trx, now, DAY_SETTLE_SECONDS, HOURS_PER_RUN);
      await this.repo.recompute(
        trx,
        '1d',
        days.map(({ checkId, day }) => ({ checkId, from: day, to: addDays(day, 1) })),
      );
      return { hours: hours.length, days: days.length };
    });
  }

  /**
   * TimescaleDB path: refreshes the continuous aggregates over the hours rounds landed in
   * since the last run. Real-time aggregation shows buckets past the materialized ones; this
   * brings rounds that landed in materialized buckets (a spool replayed, the running hour) in
   * at the plain path's cadence. Days are refreshed here once over; the running day by its
   * refresh policy every 10 minutes, like DAY_SETTLE_SECONDS. Undefined, with the hours put
   * back, when another hub or a refresh policy is at work.
   */
  private async refreshAggregates(now: Date): Promise<{ hours: number; days: number } | undefined> {
    const hours = await this.repo.exclusively('bw:rollups', (trx) =>
      this.repo.takeDirtyHours(trx, HOURS_PER_RUN),
    );
    if (hours === undefined) return undefined;
    if (hours.length === 0) return { hours: 0, days: 0 };
    const times = hours.map((h) => h.hour.getTime());
    const from = new Date(Math.min(...times));
    const to = new Date(Math.max(...times) + HOUR_MS);
    const over = [...new Set(times.map((t) => utcDay(new Date(t)).getTime()))].filter(
      (day) => addDays(new Date(day), 1) <= now,
    );
    const refreshed =
      (await this.repo.timescale.refresh('1m', from, to)) &&
      (await this.repo.timescale.refresh('1h', from, to)) &&
      (over.length === 0 ||
        (await this.repo.timescale.refresh(
          '1d',
          new Date(Math.min(...over)),
          addDays(new Date(Math.max(...over)), 1),
        )));
    if (!refreshed) {
      // A refresh policy is at work on the same window: this run's hours wait for the next.
      await this.repo.restoreDirtyHours(hours);
      return undefined;
    }
    return { hours: hours.length, days: over.length };
  }
}
