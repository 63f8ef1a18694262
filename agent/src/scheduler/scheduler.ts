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
  /** The round running or queued, while busy. */
  round?: Promise<void>;
  /** The check's grid: rounds run at nextAt + k × interval. */
  nextAt: number;
  /** A first round ahead of the grid, soon after start (see #place). */
  firstAt?: number | undefined;
  timer?: NodeJS.Timeout;
}

/**
 * Runs every check on its own interval, on a grid placed at a random offset within the interval,
 * so that a hundred checks with the same interval do not all fire in the same second. The first
 * round comes sooner, within `maxStartSpreadSeconds`, so that a new agent reports at once.
 * A round that overruns never delays other checks: its own next round is skipped (and counted)
 * while it is still running, and the concurrency limit only queues distinct checks. Rounds of
 * a probe that measures rounds together (icmp) start on a common grid and take no slot of the
 * concurrency limit (Probe.sharedRounds).
 */
export class Scheduler {
  #states: CheckState[];
  #started = false;
  readonly #limiter: Limiter;
  readonly #stop = new AbortController();
  readonly #running = new Set<Promise<void>>();
  readonly #options: SchedulerOptions;
  readonly #registry: ProbeRegistry;

  constructor(options: SchedulerOptions) {
    this.#options = options;
    this.#registry = options.registry ?? probes;
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
      this.#place(state, now);
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
        // A changed check's round still running or waiting for a slot holds the new one back:
        // two rounds of one check at once would overlap, and could start in the same
        // millisecond when the limiter frees two slots, one result then shadowing the other.
        busy: kept?.busy ?? false,
        nextAt: 0,
      };
      if (kept?.busy && kept.round) {
        void kept.round.finally(() => {
          state.busy = false;
        });
      }
      this.#place(state, now);
      if (this.#started) this.#arm(state);
      return state;
    });
    for (const removed of previous.values()) clearTimeout(removed.timer);
  }

  checks(): CheckConfig[] {
    return this.#states.map((s) => s.check);
  }

  /**
   * Places a check's grid anywhere in its interval (spreading the load evenly), and a first
   * round within the start spread when that comes before the grid's first slot.
   */
  #place(state: CheckState, now: number): void {
    const random = this.#options.random ?? Math.random;
    const intervalMs = state.check.intervalSeconds * 1000;
    const spreadMs = Math.min(intervalMs, (this.#options.maxStartSpreadSeconds ?? 10) * 1000);
    // Rounds a probe measures together start on a grid common to all its checks (a multiple
    // of alignMs since the epoch), so that rounds falling in the same slot coincide; checks
    // whose interval is a multiple of alignMs stay on it.
    const alignMs = this.#registry[state.check.type].sharedRounds?.alignMs;
    const align = (t: number) => (alignMs ? Math.ceil(t / alignMs) * alignMs : t);
    state.nextAt = align(now + random() * intervalMs);
    const firstAt = align(now + random() * spreadMs);
    state.firstAt = firstAt < state.nextAt ? firstAt : undefined;
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
    const at = state.firstAt ?? state.nextAt;
    state.timer = setTimeout(() => this.#tick(state), Math.max(0, at - Date.now()));
  }

  #tick(state: CheckState): void {
    const intervalMs = state.check.intervalSeconds * 1000;
    if (state.firstAt !== undefined) {
      // The early first round. A grid slot less than half an interval after it is skipped,
      // so that the first two rounds are not needlessly close together.
      state.firstAt = undefined;
      if (state.nextAt - Date.now() < intervalMs / 2) state.nextAt += intervalMs;
      this.#arm(state);
      this.#launch(state);
      return;
    }
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
    const registry = this.#registry;
    const stop = this.#stop.signal;
    state.busy = true;
    const run = () => {
      state.stats.runs++;
      return runCheck(state.check, { registry, log, stop });
    };
    // A round measured together with others holds no slot: its probe bounds its processes.
    const round = (registry[state.check.type].sharedRounds ? run() : this.#limiter.run(run, stop))
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
    state.round = round;
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
    checks.map((check) => {
      const run = () => runCheck(check, { registry, log: options.log });
      return registry[check.type].sharedRounds ? run() : limiter.run(run);
    }),
  );
}
