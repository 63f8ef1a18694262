/**
 * A sliding-window counter of failed logins per key (a username or an IP address), in this
 * process's memory. Lockout of an account is persisted on the user (auth.service.ts); this
 * only slows guessing down, so losing it on restart is acceptable.
 */
export class SlidingWindowLimiter {
  private readonly hits = new Map<string, number[]>();

  constructor(
    private readonly max: number,
    private readonly windowMs: number,
    /** Bounds memory under a flood of distinct keys: the oldest keys are dropped first. */
    private readonly maxKeys = 100_000,
  ) {}

  /** Milliseconds until another attempt is allowed; 0 when it is allowed now. */
  retryAfterMs(key: string, now = Date.now()): number {
    const times = this.recent(key, now);
    if (times.length < this.max) return 0;
    return times[times.length - this.max]! + this.windowMs - now;
  }

  hit(key: string, now = Date.now()): void {
    const times = this.recent(key, now);
    times.push(now);
    this.hits.delete(key); // re-insert: Map order is then least recently hit first
    this.hits.set(key, times);
    if (this.hits.size > this.maxKeys) {
      const oldest = this.hits.keys().next().value;
      if (oldest !== undefined) this.hits.delete(oldest);
    }
  }

  reset(key: string): void {
    this.hits.delete(key);
  }

  private recent(key: string, now: number): number[] {
    const times = (this.hits.get(key) ?? []).filter((t) => t > now - this.windowMs);
    if (times.length === 0) this.hits.delete(key);
    return times;
  }
}

/**
 * Failed logins of one key (a username from one address): the first `free` are answered at
 * once; after that each attempt must wait twice as long as the one before (1 s, 2 s, 4 s …, at
 * most `maxDelayMs`) after the last failure. The key is forgotten once that wait has passed
 * twice over without a failure, or at a success. In this process's memory: it slows guessing
 * down, it never locks the account (docs/security.md, "Sign-in throttling").
 */
export class GrowingDelay {
  private readonly failures = new Map<string, { count: number; last: number }>();

  constructor(
    private readonly maxDelayMs: number,
    /** Bounds memory under a flood of distinct keys: the oldest keys are dropped first. */
    private readonly maxKeys = 100_000,
  ) {}

  /** Milliseconds until the key may try again, with `free` failures answered at once. */
  retryAfterMs(key: string, free: number, now = Date.now()): number {
    const entry = this.current(key, now);
    if (!entry || entry.count < free) return 0;
    return Math.max(0, entry.last + this.delayAfter(entry.count - free) - now);
  }

  hit(key: string, now = Date.now()): void {
    const count = (this.current(key, now)?.count ?? 0) + 1;
    this.failures.delete(key); // re-insert: Map order is then least recently hit first
    this.failures.set(key, { count, last: now });
    if (this.failures.size > this.maxKeys) {
      const oldest = this.failures.keys().next().value;
      if (oldest !== undefined) this.failures.delete(oldest);
    }
  }

  reset(key: string): void {
    this.failures.delete(key);
  }

  /** The wait after `over` failures beyond the free ones: 1 s, doubling, capped. */
  private delayAfter(over: number): number {
    return Math.min(this.maxDelayMs, 1000 * 2 ** Math.min(over, 40));
  }

  private current(key: string, now: number) {
    const entry = this.failures.get(key);
    if (entry && now - entry.last > 2 * this.maxDelayMs) {
      this.failures.delete(key);
      return undefined;
    }
    return entry;
  }
}
