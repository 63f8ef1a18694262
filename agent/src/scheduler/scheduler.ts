import type { ProbeResult } from '@branchwatch/contract';
import type { CheckConfig } from '../config.js';
import type { Logger } from '../log.js';
import { probes, type ProbeRegistry } from '../probes/registry.js';
import { Limiter } from './limiter.js';
import { runCheck } from './run-check.js';

export interface SchedulerOptions {
  checks: readonly CheckConfig[];
  /** Rounds that may run at once. */
  concurrency: number;
  onResult(result: ProbeResult): void;
  log: Logger;
  registry?: ProbeRegistry;
  /** In [0, 1): picks each check's start offset. */
  random?: () => number;
  /**
   * Start offsets are spread over the check's interval, but at most this many seconds, so
   * that a new agent reports within seconds even when its checks run once a minute or less
   * often. Default 10.
   */
  maxStartSpreadSeconds?: number;
}

export interface CheckStats {
  /** Rounds started. */
  runs: number;
  /** Rounds not started because the previous round of the same check was still running or queued. */
  skipped: number;
}

interface CheckState {
  check: CheckConfig;
  stats: CheckStats;
  busy: boolean;
  nextAt: number;
  timer?: NodeJS.Timeout;
}

/**
 * Runs every check on its own interval. Each check starts at a random offset within its
 * interval (at most `maxStartSpreadSeconds`), so that a hundred checks with the same interval
 * do not all fire in the same second.
 * A round that overruns never delays other checks: its own next round is skipped (and counted)
 * while it is still running, and the concurrency limit only queues distinct checks.
 */
export class Scheduler {
  #states: CheckState[];
  #started = false;
  readonly #limiter: Limiter;
  readonly #stop = new AbortController();
  readonly #running = new Set<Promise<void>>();
  readonly #options: SchedulerOptions;

  constructor(options: SchedulerOptions) {
    this.#options = options;
    this.#limiter = new Limiter(options.concurrency);
    this.#states = options.checks.map((check) => ({
      check,
      stats: { runs: 0, skipped: 0 },
      busy: false,
      nextAt: 0,
    }));
  }

  start(): void {
    this.#started = true;
    const now = Date.now();
    for (const state of this.#states) {
      state.nextAt = now + this.#startOffsetMs(state.check);
      this.#arm(state);
    }
  }

  /**
   * Swaps the set of checks without a restart. An unchanged check keeps its schedule; a new or
   * changed one starts at a staggered offset; a removed one is no longer scheduled (a round of
   * it already running finishes and is reported).
   */
  replaceChecks(checks: readonly CheckConfig[]): void {
    const previous = new Map(this.#states.map((s) => [s.check.id, s]));
    const now = Date.now();
    this.#states = checks.map((check) => {
      const kept = previous.get(check.id);
      previous.delete(check.id);
      if (kept && sameCheck(kept.check, check)) return kept;
      if (kept) clearTimeout(kept.timer);
      const state: CheckState = {
        check,
        stats: kept?.stats ?? { runs: 0, skipped: 0 },
        busy: false,
        nextAt: now + this.#startOffsetMs(check),
      };
      if (this.#started) this.#arm(state);
      return state;
    });
    for (const removed of previous.values()) clearTimeout(removed.timer);
  }

  checks(): CheckConfig[] {
    return this.#states.map((s) => s.check);
  }

  #startOffsetMs(check: CheckConfig): number {
    const random = this.#options.random ?? Math.random;
    const maxSpread = this.#options.maxStartSpreadSeconds ?? 10;
    return random() * Math.min(check.intervalSeconds, maxSpread) * 1000;
  }

  /** Stops scheduling, cuts off running rounds (their results are dropped) and waits for them. */
  async stop(): Promise<void> {
    this.#stop.abort();
    for (const state of this.#states) clearTimeout(state.timer);
    await Promise.allSettled([...this.#running]);
  }

  stats(): Record<string, CheckStats> {
    return Object.fromEntries(this.#states.map((s) => [s.check.id, { ...s.stats }]));
  }

  #arm(state: CheckState): void {
    if (this.#stop.signal.aborted) return;
    state.timer = setTimeout(() => this.#tick(state), Math.max(0, state.nextAt - Date.now()));
  }

  #tick(state: CheckState): void {
    const intervalMs = state.check.intervalSeconds * 1000;
    // Keep to the grid (start + k × interval) so that rounds do not drift; slots that already
    // passed (a stalled event loop) are skipped, not run in a burst.
    state.nextAt += intervalMs;
    while (state.nextAt <= Date.now()) {
      state.nextAt += intervalMs;
      state.stats.skipped++;
    }
    this.#arm(state);
    if (state.busy) {
      state.stats.skipped++;
      this.#options.log.warn('round skipped: the previous round is still running', {
        check: state.check.id,
        skipped: state.stats.skipped,
      });
      return;
    }
    this.#launch(state);
  }

  #launch(state: CheckState): void {
    const { log, onResult } = this.#options;
    const registry = this.#options.registry ?? probes;
    const stop = this.#stop.signal;
    state.busy = true;
    const round = this.#limiter
      .run(() => {
        state.stats.runs++;
        return runCheck(state.check, { registry, log, stop });
      }, stop)
      .then((result) => {
        // A round cut off by stop() measured nothing; it is not reported.
        if (!stop.aborted) onResult(result);
      })
      .catch((err: unknown) => {
        // The limiter rejects when stop() aborts a round still waiting for a slot: expected.
        // Anything else is a bug downstream of the round (onResult) and must not vanish.
        if (!stop.aborted) log.error('handling a result failed', { check: state.check.id, err });
      })
      .finally(() => {
        state.busy = false;
        this.#running.delete(round);
      });
    this.#running.add(round);
  }
}

function sameCheck(a: CheckConfig, b: CheckConfig): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/** Runs every check once, at most `concurrency` at a time; results in the order of `checks`. */
export async function runOnce(
  checks: readonly CheckConfig[],
  options: { concurrency: number; log: Logger; registry?: ProbeRegistry },
): Promise<ProbeResult[]> {
  const limiter = new Limiter(options.concurrency);
  const registry = options.registry ?? probes;
  return Promise.all(
    checks.map((check) => limiter.run(() => runCheck(check, { registry, log: options.log }))),
  );
}
