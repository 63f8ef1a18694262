/**
 * Runs at most `size` tasks at once; the others wait in arrival order.
 *
 * Ingest emits state changes through it: each change sets off queries in its listeners
 * (incidents, notifications, live events), and a fleet whose checks all change at once (10,000
 * new agents turning ok) would otherwise queue tens of thousands of them in the connection
 * pool, in front of the next group's commit (docs/benchmarks.md, "Hub fleet").
 */
export class Slots {
  private free: number;
  private readonly waiting: (() => void)[] = [];

  constructor(size: number) {
    this.free = size;
  }

  async run<T>(task: () => Promise<T>): Promise<T> {
    if (this.free > 0) this.free--;
    else await new Promise<void>((resolve) => this.waiting.push(resolve));
    try {
      return await task();
    } finally {
      const next = this.waiting.shift();
      if (next) next();
      else this.free++;
    }
  }
}
