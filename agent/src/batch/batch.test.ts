import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encodeResultsBatch, type ProbeResult } from '@branchwatch/contract';
import { describe, expect, it } from 'vitest';
import { silentLogger } from '../log.js';
import { Spool } from '../spool/spool.js';
import { Batcher } from './batcher.js';
import { splitResults } from './split.js';

const result = (i: number, samples = 0): ProbeResult => ({
  check: `c${i}`,
  type: 'icmp',
  target: '127.0.0.1',
  at: '2026-11-21T10:00:00.000Z',
  status: 'ok',
  fields: { sent: 1, received: 1, loss: 0, min: 1, median: 1, p95: 1, max: 1, jitter: null },
  samples: Array<number>(samples).fill(123.456),
});

describe('splitResults', () => {
  it('keeps every wire payload within the byte limit, in order', () => {
    const results = Array.from({ length: 50 }, (_, i) => result(i, 100));
    const maxBytes = 8 * 1024;
    const chunks = splitResults(results, { agent: 'srv-01', maxBytes });
    expect(chunks.length).toBeGreaterThan(5);
    expect(chunks.flat()).toEqual(results);
    for (const [i, chunk] of chunks.entries()) {
      const payload = encodeResultsBatch({
        v: 1,
        agent: 'srv-01',
        seq: Number.MAX_SAFE_INTEGER,
        sentAt: new Date().toISOString(),
        replayed: false,
        results: chunk,
      });
      expect(Buffer.byteLength(payload)).toBeLessThanOrEqual(maxBytes);
      // Full: the next result would not have fitted.
      if (i < chunks.length - 1) {
        const grown = payload.length + 1 + JSON.stringify(chunks[i + 1]![0]).length;
        expect(grown).toBeGreaterThan(maxBytes);
      }
    }
  });

  it('keeps every batch within the result count limit', () => {
    const chunks = splitResults(
      Array.from({ length: 25 }, (_, i) => result(i)),
      { agent: 'srv-01', maxResults: 10 },
    );
    expect(chunks.map((c) => c.length)).toEqual([10, 10, 5]);
  });
});

describe('Batcher', () => {
  it('closes a batch at maxResults and on flush, into the spool', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'bw-batch-'));
    try {
      const spool = await Spool.open({ dir, maxBytes: 1024 * 1024, log: silentLogger });
      const closed: number[] = [];
      const batcher = new Batcher({
        intervalSeconds: 60,
        maxResults: 3,
        agent: 'srv-01',
        spool,
        log: silentLogger,
        onBatch: (entry) => closed.push(entry.results),
      });
      for (let i = 0; i < 4; i++) batcher.add(result(i));
      await batcher.stop();
      expect(closed).toEqual([3, 1]);
      expect((await spool.read(0))?.results.map((r) => r.check)).toEqual(['c0', 'c1', 'c2']);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
