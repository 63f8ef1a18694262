import { icmpFields } from '@branchwatch/contract';
import { describe, expect, it } from 'vitest';
import { roundStats } from './round-stats.js';

describe('roundStats', () => {
  it('computes every field of a lossy round (the README worked example)', () => {
    // Replies in send order 10, 12, 11, 20; the third ping was lost.
    const fields = roundStats([10, 12, null, 11, 20]);
    expect(fields).toEqual({
      sent: 5,
      received: 4,
      loss: 20,
      min: 10,
      median: 11.5, // mean of the middle two of 10 11 12 20
      p95: 20, // nearest rank: ceil(0.95 × 4) = 4th of 4
      max: 20,
      jitter: 4, // (|12-10| + |11-12| + |20-11|) / 3: the lost ping is skipped
    });
    expect(icmpFields.safeParse(fields).success).toBe(true);
  });

  it('takes the nearest rank for p95 and the middle value for an odd count', () => {
    const twenty = Array.from({ length: 20 }, (_, i) => i + 1);
    expect(roundStats(twenty)).toMatchObject({ median: 10.5, p95: 19, min: 1, max: 20, jitter: 1 });
    expect(roundStats([3, 1, 2])).toMatchObject({ median: 2, p95: 3, jitter: 1.5 });
  });

  it('reports nulls and 100% loss when nothing came back', () => {
    expect(roundStats([null, null, null])).toEqual({
      sent: 3,
      received: 0,
      loss: 100,
      min: null,
      median: null,
      p95: null,
      max: null,
      jitter: null,
    });
  });

  it('has no jitter with a single reply, and rounds to microseconds', () => {
    expect(roundStats([0.0421, null])).toEqual({
      sent: 2,
      received: 1,
      loss: 50,
      min: 0.042,
      median: 0.042,
      p95: 0.042,
      max: 0.042,
      jitter: null,
    });
    expect(roundStats([1, null, null]).loss).toBe(66.667);
  });
});
