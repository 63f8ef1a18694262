import type { ProbeResult } from '@branchwatch/contract';
import type { Logger } from '../log.js';
import type { Spool, SpoolEntry } from '../spool/spool.js';
import { splitResults } from './split.js';

export interface BatcherOptions {
  /** A batch is closed at least this often while it holds results. */
  intervalSeconds: number;
  /** …or as soon as it holds this many. */
  maxResults: number;
  /** The agent id (for sizing the wire envelope). */
  agent: string;
  spool: Spool;
  log: Logger;
  /** Called after a batch is in the spool, so that the publisher can send it. */
  onBatch?: (entry: SpoolEntry) => void;
}

/** Collects results into batches and puts each closed batch into the spool. */
export class Batcher {
  readonly #options: BatcherOptions;
  #buffer: ProbeResult[] = [];
  #timer?: NodeJS.Timeout;
  #flushing: Promise<void> = Promise.resolve();

  constructor(options: BatcherOptions) {
    this.#options = options;
  }

  start(): void {
    this.#timer = setInterval(() => void this.flush(), this.#options.intervalSeconds * 1000);
  }

  add(result: ProbeResult): void {
    this.#buffer.push(result);
    if (this.#buffer.length >= this.#options.maxResults) void this.flush();
  }

  /** Closes the current batch (if any) into the spool; resolves once it is on disk. */
  flush(): Promise<void> {
    const results = this.#buffer;
    this.#buffer = [];
    // Flushes run one after another so that seqs follow the order results arrived in.
    this.#flushing = this.#flushing.then(() => this.#store(results));
    return this.#flushing;
  }

  /** Stops the timer and writes what is left into the spool. */
  async stop(): Promise<void> {
    clearInterval(this.#timer);
    await this.flush();
  }

  async #store(results: ProbeResult[]): Promise<void> {
    const { spool, log, onBatch, agent, maxResults } = this.#options;
    for (const chunk of splitResults(results, { agent, maxResults })) {
      try {
        const entry = await spool.append(chunk);
        if (entry) onBatch?.(entry);
      } catch (err) {
        // A full or broken disk: these results are lost, and the log must say so.
        log.error('cannot write a batch to the spool; its results are lost', {
          results: chunk.length,
          err,
        });
      }
    }
  }
}
