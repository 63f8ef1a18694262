/**
 * Answers lookups by key with one call for many keys: the keys asked while a call runs wait
 * for the next one, which takes them all (at most `max`). One call is in flight at a time, so
 * a burst of lookups — a fleet reconnecting after a hub restart, each CONNECT looking up its
 * agent — costs a few queries and holds one database connection, not one each.
 */
export class CoalescedLookup<K, V> {
  private readonly pending = new Map<
    K,
    { resolve: (value: V | undefined) => void; reject: (err: unknown) => void }[]
  >();
  private running = false;

  constructor(
    private readonly fetch: (keys: K[]) => Promise<Map<K, V>>,
    private readonly max = 500,
  ) {}

  get(key: K): Promise<V | undefined> {
    return new Promise((resolve, reject) => {
      const waiting = this.pending.get(key);
      if (waiting) waiting.push({ resolve, reject });
      else this.pending.set(key, [{ resolve, reject }]);
      if (!this.running) {
        this.running = true;
        // The lookups of the same turn of the event loop go together.
        setImmediate(() => this.next());
      }
    });
  }

  private next(): void {
    if (this.pending.size === 0) {
      this.running = false;
      return;
    }
    const taken = [...this.pending].slice(0, this.max);
    for (const [key] of taken) this.pending.delete(key);
    this.fetch(taken.map(([key]) => key))
      .then(
        (found) => {
          for (const [key, waiters] of taken) for (const w of waiters) w.resolve(found.get(key));
        },
        (err: unknown) => {
          for (const [, waiters] of taken) for (const w of waiters) w.reject(err);
        },
      )
      .finally(() => this.next());
  }
}
