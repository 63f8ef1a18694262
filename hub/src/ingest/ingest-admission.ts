/** How much ingest holds at once: batches from their arrival until they are acknowledged. */
export interface AdmissionLimits {
  /** Batches held at once. */
  maxBatches: number;
  /** Bytes of their payloads held at once; a single larger batch is still let in alone. */
  maxBytes: number;
}

interface Waiter {
  bytes: number;
  enter(): void;
}

/**
 * The bound of ingest's queue. A results batch enters before it is decoded and leaves once it
 * is acknowledged (or refused); while the queue is full, the next batches wait here as the
 * broker's undecoded packets, in arrival order. The broker reads no further packets of a client
 * whose batch waits (aedes reads a connection again only once the packets it read are handled,
 * `lib/client.js`), so their bytes stay in the sockets and the agents' spools: the agents are
 * slowed by TCP's flow control and the missing PUBACKs, and the hub's memory stays bounded
 * however many agents send at once (docs/benchmarks.md, "Hub fleet").
 */
export class Admission {
  private batches = 0;
  private bytes = 0;
  private readonly line: Waiter[] = [];
  constructor(
    private readonly limits: AdmissionLimits,
    /** Told each time a batch finds the queue full and waits. */
    private readonly onFull: () => void = () => {},
  ) {}

  /** Batches in the queue now (admitted and not yet acknowledged). */
  get held(): number {
    return this.batches;
  }

  /** Batches waiting for room. */
  get waiting(): number {
    return this.line.length;
  }

  /** Runs `task` once the queue has room for a batch of `bytes`, holding the room until it ends. */
  async run<T>(bytes: number, task: () => Promise<T>): Promise<T> {
    if (this.line.length > 0 || !this.fits(bytes)) {
      this.onFull();
      await new Promise<void>((enter) => this.line.push({ bytes, enter }));
    } else {
      this.take(bytes);
    }
    try {
      return await task();
    } finally {
      this.batches--;
      this.bytes -= bytes;
      this.wake();
    }
  }

  private fits(bytes: number): boolean {
    if (this.batches === 0) return true;
    return this.batches < this.limits.maxBatches && this.bytes + bytes <= this.limits.maxBytes;
  }

  private take(bytes: number): void {
    this.batches++;
    this.bytes += bytes;
  }

  /** Lets waiting batches in, in arrival order, while they fit. */
  private wake(): void {
    while (this.line.length > 0 && this.fits(this.line[0]!.bytes)) {
      const next = this.line.shift()!;
      this.take(next.bytes);
      next.enter();
    }
  }
}
