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
