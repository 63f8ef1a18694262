import { Gauge, type Registry } from 'prom-client';

/** Where a job runs: in the hub process, or as a TimescaleDB background job in the database. */
export type JobKind = 'hub' | 'timescaledb';

/** What the hub knows of one background job's runs (docs/hub.md "The hub watches itself"). */
export interface JobState {
  /** Stable name: `rollups`, `partitions`, `sla-sweep`, …; `timescaledb:<proc> <id>` there. */
  name: string;
  kind: JobKind;
  /** A TimescaleDB job's procedure (`policy_compression`, `policy_retention`, …); null for the hub's. */
  procedure: string | null;
  /** What the job works on, when it names one (a TimescaleDB job's hypertable or aggregate). */
  target: string | null;
  runs: number;
  failures: number;
  /** Failed runs since the last one that succeeded: what raises the alert. */
  consecutiveFailures: number;
  /** The first of those failed runs. */
  failingSince: Date | null;
  lastRunAt: Date | null;
  lastSuccessAt: Date | null;
  lastFailureAt: Date | null;
  lastError: string | null;
  lastDurationMs: number | null;
  /** When the next run is due, when the scheduler says (TimescaleDB). */
  nextRunAt: Date | null;
}

/** Jobs kept by something else, read when asked (TimescaleDB's job statistics). */
export type JobSource = () => Promise<JobState[]>;

/** A job that failed this many runs in a row raises an alert (alerts/hub-job-alerts.ts). */
export const FAILURES_BEFORE_ALERT = 3;

/**
 * Records the runs of the hub's own background work — rollups, partition upkeep, alert and SLA
 * sweeps, the notification outbox — and reads the jobs other places keep (TimescaleDB's), so
 * that /metrics, the admin health page and the job alerts see one list. Counts are this
 * process's since it started: with several hub processes a job that takes an advisory lock
 * runs in whichever holds it, and each process tells its own runs.
 */
export class JobHealth {
  readonly #jobs = new Map<string, JobState>();
  readonly #sources: JobSource[] = [];

  constructor(registry?: Registry) {
    if (registry) this.#register(registry);
  }

  /**
   * Runs `work` as one run of job `name`: its outcome, time and error are recorded, then passed
   * on. A job that returns undefined when another hub process holds its lock (db/job-lock.ts)
   * says so with `skipped`: such a run is neither a success nor a failure.
   */
  async run<T>(
    name: string,
    work: () => Promise<T>,
    options: { skipped?: (result: T) => boolean } = {},
  ): Promise<T> {
    const job = this.#job(name);
    const started = Date.now();
    try {
      const result = await work();
      if (options.skipped?.(result)) return result;
      job.runs++;
      job.consecutiveFailures = 0;
      job.failingSince = null;
      job.lastSuccessAt = new Date();
      return result;
    } catch (err) {
      job.runs++;
      job.failures++;
      job.consecutiveFailures++;
      job.lastFailureAt = new Date();
      job.failingSince ??= job.lastFailureAt;
      job.lastError = errorText(err);
      throw err;
    } finally {
      job.lastRunAt = new Date(started);
      job.lastDurationMs = Date.now() - started;
    }
  }

  /** Names a job before its first run, so that it is listed (and scraped) as never run yet. */
  declare(name: string): void {
    this.#job(name);
  }

  watch(source: JobSource): void {
    this.#sources.push(source);
  }

  /**
   * Every job: the hub's own in the order they were declared, then each source's. A source
   * that cannot be read (its database down) is left out and its error returned.
   */
  async list(): Promise<{ jobs: JobState[]; unreadable: string[] }> {
    const jobs = [...this.#jobs.values()].map((j) => ({ ...j }));
    const unreadable: string[] = [];
    for (const source of this.#sources) {
      try {
        jobs.push(...(await source()));
      } catch (err) {
        unreadable.push(err instanceof Error ? err.message : String(err));
      }
    }
    return { jobs, unreadable };
  }

  #job(name: string): JobState {
    let job = this.#jobs.get(name);
    if (!job) {
      job = {
        name,
        kind: 'hub',
        procedure: null,
        target: null,
        runs: 0,
        failures: 0,
        consecutiveFailures: 0,
        failingSince: null,
        lastRunAt: null,
        lastSuccessAt: null,
        lastFailureAt: null,
        lastError: null,
        lastDurationMs: null,
        nextRunAt: null,
      };
      this.#jobs.set(name, job);
    }
    return job;
  }

  #register(registry: Registry): void {
    // One read of the list per scrape, shared by the gauges below.
    let pending: Promise<JobState[]> | undefined;
    const read = () => {
      pending ??= this.list()
        .then((l) => l.jobs)
        .finally(() => setTimeout(() => (pending = undefined), 0));
      return pending;
    };
    const gauge = (name: string, help: string, value: (j: JobState) => number | null) => {
      const g: Gauge<'job' | 'kind'> = new Gauge({
        name,
        help,
        labelNames: ['job', 'kind'] as const,
        registers: [registry],
        collect: async () => {
          g.reset();
          for (const job of await read()) {
            const v = value(job);
            if (v !== null) g.set({ job: job.name, kind: job.kind }, v);
          }
        },
      });
    };
    gauge(
      'bw_job_runs',
      'Runs of a background job (the hub process since it started; a TimescaleDB job in all).',
      (j) => j.runs,
    );
    gauge('bw_job_failures', 'Failed runs of a background job.', (j) => j.failures);
    gauge(
      'bw_job_consecutive_failures',
      'Failed runs of a background job since its last success; an alert ticket opens at 3.',
      (j) => j.consecutiveFailures,
    );
    gauge(
      'bw_job_last_success_timestamp_seconds',
      'When a background job last succeeded (Unix time); absent when it never has.',
      (j) => (j.lastSuccessAt ? j.lastSuccessAt.getTime() / 1000 : null),
    );
    gauge('bw_job_last_duration_seconds', 'How long the last run of a background job took.', (j) =>
      j.lastDurationMs === null ? null : j.lastDurationMs / 1000,
    );
  }
}

/**
 * The error as a person reads it. knex puts the statement before a PostgreSQL error's message
 * (`<sql> - relation "x" does not exist`): the statement says little to an admin and can be
 * long, so a database error (one with a SQLSTATE) keeps the server's message only.
 */
function errorText(err: unknown): string {
  if (!(err instanceof Error)) return String(err);
  const code = (err as { code?: unknown }).code;
  const cut = err.message.lastIndexOf(' - ');
  if (typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code) && cut >= 0)
    return err.message.slice(cut + 3);
  return err.message;
}
