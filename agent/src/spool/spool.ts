import { mkdir, readFile, readdir, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { probeResult, type ProbeResult } from '@branchwatch/contract';
import { z } from 'zod';
import type { Logger } from '../log.js';
import { TEMP_PREFIX, writeFileAtomic } from './atomic.js';

/** A batch waiting in the spool for the broker's PUBACK. */
export interface SpoolEntry {
  seq: number;
  /** When the batch was closed (ms since the epoch). */
  createdAt: number;
  bytes: number;
  results: number;
  /** True when it was found on disk at start, i.e. left over from an earlier run. */
  recovered: boolean;
}

/** A batch as stored: the wire envelope (agent, sentAt, replayed) is added when it is sent. */
export interface SpooledBatch {
  seq: number;
  createdAt: string;
  results: ProbeResult[];
}

export interface SpoolStats {
  pendingBatches: number;
  pendingBytes: number;
  nextSeq: number;
  /** Batches (and their results) dropped to keep the spool under maxBytes, since it was created. */
  droppedBatches: number;
  droppedResults: number;
}

export interface SpoolOptions {
  dir: string;
  maxBytes: number;
  log: Logger;
}

const storedBatch = z.strictObject({
  seq: z.number().int().nonnegative(),
  createdAt: z.iso.datetime(),
  results: z.array(probeResult),
});
const storedState = z.object({
  nextSeq: z.number().int().nonnegative(),
  droppedBatches: z.number().int().nonnegative(),
  droppedResults: z.number().int().nonnegative(),
});
type State = z.infer<typeof storedState>;

const STATE_FILE = 'state.json';
// 16 digits hold Number.MAX_SAFE_INTEGER, so names sort like the numbers they carry.
const BATCH_FILE = /^(\d{16})\.json$/;
const batchFile = (seq: number) => `${String(seq).padStart(16, '0')}.json`;

/**
 * The agent's outbox on disk: one file per batch, kept until the broker acknowledges it.
 * Sequence numbers only grow, across restarts too (the hub de-duplicates on agent and seq).
 * The spool is bounded by maxBytes: appending past the bound drops the oldest batches, counted.
 * Operations are serialised, so an ack never races the append that drops the same file.
 */
export class Spool {
  readonly #options: SpoolOptions;
  readonly #entries = new Map<number, SpoolEntry>();
  #state: State;
  #pendingBytes = 0;
  #queue: Promise<unknown> = Promise.resolve();

  private constructor(options: SpoolOptions, state: State) {
    this.#options = options;
    this.#state = state;
  }

  /** Opens (creating) the spool in `dir`, skipping and removing files it cannot read. */
  static async open(options: SpoolOptions): Promise<Spool> {
    await mkdir(options.dir, { recursive: true, mode: 0o700 });
    const spool = new Spool(options, await readState(options));
    await spool.#load();
    return spool;
  }

  /** Stores `results` as the next batch; null when that one batch alone exceeds maxBytes. */
  append(results: readonly ProbeResult[]): Promise<SpoolEntry | null> {
    return this.#serial(() => this.#append(results));
  }

  /** Batches waiting for their PUBACK, oldest first. */
  pending(): SpoolEntry[] {
    return [...this.#entries.values()].sort((a, b) => a.seq - b.seq);
  }

  has(seq: number): boolean {
    return this.#entries.has(seq);
  }

  /** Reads one batch; null when it is gone (acked or dropped) or unreadable (then removed). */
  read(seq: number): Promise<SpooledBatch | null> {
    return this.#serial(async () => {
      if (!this.#entries.has(seq)) return null;
      const batch = await this.#readBatch(batchFile(seq));
      if (batch === null || batch.seq !== seq) {
        await this.#remove(seq);
        return null;
      }
      return batch;
    });
  }

  /** The broker has the batch: delete it. Unknown seqs (already dropped) are ignored. */
  ack(seq: number): Promise<void> {
    return this.#serial(() => this.#remove(seq));
  }

  stats(): SpoolStats {
    return {
      pendingBatches: this.#entries.size,
      pendingBytes: this.#pendingBytes,
      nextSeq: this.#state.nextSeq,
      droppedBatches: this.#state.droppedBatches,
      droppedResults: this.#state.droppedResults,
    };
  }

  #serial<T>(op: () => Promise<T>): Promise<T> {
    const next = this.#queue.then(op);
    this.#queue = next.catch(() => {});
    return next;
  }

  async #append(results: readonly ProbeResult[]): Promise<SpoolEntry | null> {
    const { dir, maxBytes, log } = this.#options;
    const seq = this.#state.nextSeq;
    const createdAt = Date.now();
    const body = JSON.stringify({ seq, createdAt: new Date(createdAt).toISOString(), results });
    const bytes = Buffer.byteLength(body);
    const dropped: SpoolEntry[] = [];
    for (const oldest of this.pending()) {
      if (this.#pendingBytes + bytes <= maxBytes) break;
      dropped.push(oldest);
      this.#forget(oldest.seq);
    }
    const tooBig = bytes > maxBytes;
    const lost = [...dropped, ...(tooBig ? [{ results: results.length }] : [])];
    // The state goes first: should we crash before the batch is written, its seq is never reused.
    this.#state = {
      nextSeq: seq + 1,
      droppedBatches: this.#state.droppedBatches + lost.length,
      droppedResults: lost.reduce((sum, e) => sum + e.results, this.#state.droppedResults),
    };
    await writeFileAtomic(dir, STATE_FILE, JSON.stringify(this.#state));
    for (const entry of dropped) await unlinkQuietly(join(dir, batchFile(entry.seq)));
    if (lost.length > 0) {
      log.warn('spool full: dropped the oldest batches', {
        dropped: lost.length,
        droppedBatchesTotal: this.#state.droppedBatches,
        maxBytes,
      });
    }
    if (tooBig) return null;
    await writeFileAtomic(dir, batchFile(seq), body);
    const entry = { seq, createdAt, bytes, results: results.length, recovered: false };
    this.#entries.set(seq, entry);
    this.#pendingBytes += bytes;
    return entry;
  }

  async #load(): Promise<void> {
    const { dir, log } = this.#options;
    let highest = -1;
    for (const name of (await readdir(dir)).sort()) {
      if (name.startsWith(TEMP_PREFIX)) {
        // A write cut off by a crash: its content was never promised to anyone.
        await unlinkQuietly(join(dir, name));
        continue;
      }
      const match = BATCH_FILE.exec(name);
      if (!match) continue;
      const seq = Number(match[1]);
      // Even an unreadable batch may have been sent before: its seq is never reused.
      highest = Math.max(highest, seq);
      const batch = await this.#readBatch(name);
      if (batch === null || batch.seq !== seq) {
        await unlinkQuietly(join(dir, name));
        continue;
      }
      const bytes = Buffer.byteLength(JSON.stringify(batch));
      const createdAt = Date.parse(batch.createdAt);
      this.#entries.set(seq, {
        seq,
        createdAt,
        bytes,
        results: batch.results.length,
        recovered: true,
      });
      this.#pendingBytes += bytes;
    }
    this.#state.nextSeq = Math.max(this.#state.nextSeq, highest + 1);
    if (this.#entries.size > 0) {
      log.info('spool holds batches from an earlier run', { batches: this.#entries.size });
    }
  }

  async #readBatch(name: string): Promise<SpooledBatch | null> {
    try {
      const parsed = storedBatch.safeParse(
        JSON.parse(await readFile(join(this.#options.dir, name), 'utf8')),
      );
      if (parsed.success) return parsed.data;
      this.#options.log.warn('spool file is invalid; removing it', {
        file: name,
        detail: parsed.error.issues[0]?.message,
      });
    } catch (err) {
      this.#options.log.warn('spool file is unreadable; removing it', {
        file: name,
        detail: (err as Error).message,
      });
    }
    return null;
  }

  async #remove(seq: number): Promise<void> {
    if (!this.#forget(seq)) return;
    await unlinkQuietly(join(this.#options.dir, batchFile(seq)));
  }

  #forget(seq: number): boolean {
    const entry = this.#entries.get(seq);
    if (!entry) return false;
    this.#entries.delete(seq);
    this.#pendingBytes -= entry.bytes;
    return true;
  }
}

async function readState({ dir, log }: SpoolOptions): Promise<State> {
  const fresh = { nextSeq: 0, droppedBatches: 0, droppedResults: 0 };
  let text: string;
  try {
    text = await readFile(join(dir, STATE_FILE), 'utf8');
  } catch {
    return fresh;
  }
  try {
    const parsed = storedState.safeParse(JSON.parse(text));
    if (parsed.success) return parsed.data;
  } catch {
    // Reported below.
  }
  // The seq must never go back (the hub would take new batches for duplicates), and with every
  // batch acked the files cannot tell where it was. Seqs grow by one per batch, so the clock in
  // ms is far ahead of any seq used so far.
  log.warn('spool state file is unreadable; seq continues from the clock, drops count from zero', {
    file: STATE_FILE,
  });
  return { ...fresh, nextSeq: Date.now() };
}

async function unlinkQuietly(path: string): Promise<void> {
  await unlink(path).catch((err: NodeJS.ErrnoException) => {
    if (err.code !== 'ENOENT') throw err;
  });
}
