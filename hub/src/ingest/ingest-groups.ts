/** A batch waiting in a group, with the means to settle its caller's promise. */
export interface GroupMember<B, R> {
  /** Batches with the same key (the agent) are committed in arrival order, never side by side. */
  readonly key: string;
  readonly batch: B;
  /** Settles the caller's promise and lets the key's next batches into a later group. */
  done(result: R): void;
  failed(err: unknown): void;
}

export interface GroupLimits {
  /** Most batches in one group. */
  maxBatches: number;
  /** Most weight (results) in one group; a single heavier batch still forms a group alone. */
  maxWeight: number;
  /** Groups committing at the same time. */
  concurrency: number;
}

/**
 * Commits the work of one group. It resolves once the group's transaction is over, so that
 * the next group may start, and settles every member, possibly later (after its events).
 */
export type CommitGroup<B, R> = (members: GroupMember<B, R>[]) => Promise<void>;

interface Waiting<B, R> {
  key: string;
  batch: B;
  weight: number;
  resolve(result: R): void;
  reject(err: unknown): void;
}

/**
 * Group commit: batches that wait at the same time go into one transaction, so that a fleet of
 * agents costs one commit per group instead of one per batch (docs/benchmarks.md, "Hub ingest").
 *
 * A group forms on the next turn of the event loop after a batch arrives (so the batches read
 * in one go join), or as soon as a group ends. It takes waiting batches in arrival order up to
 * the limits. A key (agent) stays busy from the moment one of its batches joins a group until
 * that batch is settled; its later batches wait for a later group. That keeps each agent's
 * batches committed, and their events emitted, one after the other in arrival order.
 */
export class IngestGroups<B, R> {
  private waiting: Waiting<B, R>[] = [];
  /** Keys with batches in a group that are not settled yet, and how many. */
  private readonly busy = new Map<string, number>();
  private running = 0;
  private scheduled = false;

  constructor(
    private readonly limits: GroupLimits,
    private readonly commit: CommitGroup<B, R>,
  ) {}

  submit(key: string, batch: B, weight: number): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      this.waiting.push({ key, batch, weight, resolve, reject });
      this.schedule();
    });
  }

  private schedule(): void {
    if (this.scheduled || this.running >= this.limits.concurrency) return;
    if (this.waiting.length === 0) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      this.flush();
    });
  }

  private flush(): void {
    while (this.running < this.limits.concurrency) {
      const members = this.take();
      if (members.length === 0) return;
      this.running++;
      this.commit(members)
        .catch((err: unknown) => {
          for (const m of members) m.failed(err);
        })
        .finally(() => {
          this.running--;
          this.schedule();
        });
    }
  }

  /** Takes the next group: waiting batches of keys not busy, in arrival order, within limits. */
  private take(): GroupMember<B, R>[] {
    const members: GroupMember<B, R>[] = [];
    const left: Waiting<B, R>[] = [];
    // Keys busy before this group: their batches keep waiting, all of them, to keep order.
    const blocked = new Set(this.busy.keys());
    let weight = 0;
    let full = false;
    for (const w of this.waiting) {
      full ||=
        members.length >= this.limits.maxBatches ||
        (members.length > 0 && weight + w.weight > this.limits.maxWeight);
      // Once a key's batch is left waiting, its later batches must wait too.
      if (full || blocked.has(w.key)) {
        blocked.add(w.key);
        left.push(w);
        continue;
      }
      weight += w.weight;
      members.push(this.member(w));
    }
    this.waiting = left;
    return members;
  }

  private member(w: Waiting<B, R>): GroupMember<B, R> {
    this.busy.set(w.key, (this.busy.get(w.key) ?? 0) + 1);
    let settled = false;
    const settle = () => {
      if (settled) return false;
      settled = true;
      const n = this.busy.get(w.key)! - 1;
      if (n === 0) this.busy.delete(w.key);
      else this.busy.set(w.key, n);
      this.schedule();
      return true;
    };
    return {
      key: w.key,
      batch: w.batch,
      done: (result) => settle() && w.resolve(result),
      failed: (err) => settle() && w.reject(err),
    };
  }
}
