/**
 * Remembers, per check id, since when a device has stopped answering, so that a camera that
 * reboots (or a switch port that flaps) is not reported offline at its first silent round.
 * In memory only: after an agent restart the grace period starts again, which errs on the side
 * of one more quiet minute rather than a false alarm.
 */
export class SilenceTracker {
  private readonly since = new Map<string, number>();

  constructor(
    private readonly now: () => number = Date.now,
    /** Checks are at most 1000 per agent; the bound only guards against a leak. */
    private readonly maxEntries = 10_000,
  ) {}

  /** The device answered: any silence is over. */
  answered(checkId: string): void {
    this.since.delete(checkId);
  }

  /** The device did not answer this round; returns how long it has been silent, in seconds. */
  silent(checkId: string): number {
    const now = this.now();
    let first = this.since.get(checkId);
    if (first === undefined) {
      if (this.since.size >= this.maxEntries) {
        const oldest = this.since.keys().next().value;
        if (oldest !== undefined) this.since.delete(oldest);
      }
      first = now;
      this.since.set(checkId, first);
    }
    return Math.max(0, (now - first) / 1000);
  }
}
