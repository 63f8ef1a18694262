import { fpingArgs, interpretFping, type FpingTiming, type ParsedRound } from './fping.js';
import { runProcess } from './process-run.js';

/**
 * Runs the rounds of checks that start together in one fping process, as SmokePing runs one
 * fping for all the targets of a probe. Starting fping costs little; many fping processes at
 * once cost a lot: each holds a raw ICMP socket, and every such socket receives a copy of every
 * ICMP packet the host receives, so N concurrent processes do N times the work for each reply
 * (raw(7)). The scheduler starts icmp rounds on a common grid (Probe.sharedRounds), so rounds
 * due at the same moment arrive here within a few milliseconds.
 *
 * A round waits `gatherMs` for others with the same count, period and per-ping timeout, then
 * one `fping -C count -p period -t timeout -i interval -- T1 T2 …` measures them all; each
 * target keeps its own pings, period and timeout, and its own line of results. A group is at
 * most `period / (2 × interval)` targets (and `maxTargets`), so that one pass over the targets
 * takes at most half a period and fping keeps every target's period.
 */
export interface FpingPoolOptions {
  fping: string;
  /** How long the first round of a group waits for others. Default 20 ms. */
  gatherMs?: number;
  /** fping -i: the least time between two pings of one process, ms (1 is fping's floor without root). */
  intervalMs?: number;
  /** Most targets in one fping. Default 100. */
  maxTargets?: number;
  /** Most fping processes at once; further groups wait for one to end. Default 16. */
  maxProcesses?: number;
}

/** A round the pool measured, or `missing`: the fping binary is not installed (ENOENT). */
export type PoolOutcome = ParsedRound | { missing: true };

interface Request {
  target: string;
  signal: AbortSignal;
  resolve(outcome: PoolOutcome): void;
  onAbort(): void;
  settled: boolean;
}

interface Group {
  timing: FpingTiming;
  requests: Request[];
  timer?: NodeJS.Timeout;
}

const ABORTED: PoolOutcome = { ok: false, reason: 'round aborted' };

export class FpingPool {
  readonly #fping: string;
  readonly #gatherMs: number;
  readonly #intervalMs: number;
  readonly #maxTargets: number;
  readonly #maxProcesses: number;
  readonly #gathering = new Map<string, Group>();
  readonly #waiting: Group[] = [];
  #running = 0;

  constructor(options: FpingPoolOptions) {
    this.#fping = options.fping;
    this.#gatherMs = options.gatherMs ?? 20;
    this.#intervalMs = options.intervalMs ?? 1;
    this.#maxTargets = options.maxTargets ?? 100;
    this.#maxProcesses = options.maxProcesses ?? 16;
  }

  /** Processes running now (for tests and the benchmark's curiosity). */
  get running(): number {
    return this.#running;
  }

  /** One round to `target`; aborting `signal` gives up on it (and ends fping if nobody is left). */
  measure(target: string, timing: FpingTiming, signal: AbortSignal): Promise<PoolOutcome> {
    if (signal.aborted) return Promise.resolve(ABORTED);
    return new Promise((resolve) => {
      const request: Request = {
        target,
        signal,
        resolve,
        onAbort: () => this.#settle(request, ABORTED),
        settled: false,
      };
      const key = `${timing.count}/${timing.periodMs}/${timing.perPingTimeoutMs}`;
      let group = this.#gathering.get(key);
      if (!group) {
        group = { timing, requests: [] };
        this.#gathering.set(key, group);
        const gathered = group;
        group.timer = setTimeout(() => this.#close(key, gathered), this.#gatherMs);
      }
      group.requests.push(request);
      signal.addEventListener('abort', request.onAbort, { once: true });
      if (group.requests.length >= this.#groupLimit(timing)) this.#close(key, group);
    });
  }

  #groupLimit(timing: FpingTiming): number {
    return Math.max(
      1,
      Math.min(this.#maxTargets, Math.floor(timing.periodMs / (2 * this.#intervalMs))),
    );
  }

  #close(key: string, group: Group): void {
    clearTimeout(group.timer);
    if (this.#gathering.get(key) === group) this.#gathering.delete(key);
    this.#waiting.push(group);
    this.#startWaiting();
  }

  #startWaiting(): void {
    while (this.#running < this.#maxProcesses && this.#waiting.length > 0) {
      const group = this.#waiting.shift()!;
      const live = group.requests.filter((r) => !r.settled);
      if (live.length === 0) continue;
      this.#running++;
      void this.#run(group.timing, live).finally(() => {
        this.#running--;
        this.#startWaiting();
      });
    }
  }

  async #run(timing: FpingTiming, requests: Request[]): Promise<void> {
    // fping stops when every round it measures was given up (the runner's deadline, a stop).
    const stop = new AbortController();
    const giveUp = () => {
      if (requests.every((r) => r.settled)) stop.abort();
    };
    for (const r of requests) r.signal.addEventListener('abort', giveUp, { once: true });
    const targets = requests.map((r) => r.target);
    const run = await runProcess(
      this.#fping,
      fpingArgs(targets, timing, this.#intervalMs),
      stop.signal,
    );
    for (const r of requests) r.signal.removeEventListener('abort', giveUp);
    if (run.spawnError?.code === 'ENOENT') {
      for (const r of requests) this.#settle(r, { missing: true });
      return;
    }
    const rounds = interpretFping(run, targets, timing.count);
    requests.forEach((r, i) => this.#settle(r, rounds[i]!));
  }

  #settle(request: Request, outcome: PoolOutcome): void {
    if (request.settled) return;
    request.settled = true;
    request.signal.removeEventListener('abort', request.onAbort);
    request.resolve(outcome);
  }
}
