import { afterEach, beforeEach, expect, it, vi } from 'vitest';
import { z } from 'zod';
import type { CheckConfig } from '../config.js';
import { silentLogger } from '../log.js';
import type { Probe } from '../probes/probe.js';
import { probes } from '../probes/registry.js';
import { roundStats } from '../probes/icmp/round-stats.js';
import { Scheduler } from './scheduler.js';

beforeEach(() => {
  vi.useFakeTimers({ now: 0 });
});
afterEach(() => {
  vi.useRealTimers();
});

/** Records when each round starts and finishes at once. */
function recorder(starts: Map<string, number[]>): Probe<object, 'tcp'> {
  return {
    type: 'tcp',
    options: z.strictObject({}),
    validateTarget: () => null,
    blankFields: () => ({ connect: null }),
    async run(check) {
      const list = starts.get(check.id) ?? [];
      list.push(Date.now());
      starts.set(check.id, list);
      return { status: 'ok', fields: { connect: 0 } };
    },
  };
}

const check = (id: string): CheckConfig => ({
  id,
  type: 'tcp',
  target: id,
  intervalSeconds: 60,
  timeoutSeconds: 5,
  options: {},
});

it('runs a first round soon, then keeps to a grid spread over the whole interval', async () => {
  const starts = new Map<string, number[]>();
  // Per check: the grid's offset in the interval, then the first round's within the spread.
  const draws = [0.75, 0.1, 0.05, 0.5];
  const scheduler = new Scheduler({
    checks: [check('a'), check('b')],
    concurrency: 8,
    onResult: () => {},
    log: silentLogger,
    registry: { ...probes, tcp: recorder(starts) },
    random: () => draws.shift() ?? 0,
    maxStartSpreadSeconds: 10,
  });
  scheduler.start();
  await vi.advanceTimersByTimeAsync(130_000);
  await scheduler.stop();
  // a: first round at 1 s (0.1 × 10 s), then its grid at 45 s (0.75 × 60 s), 105 s.
  expect(starts.get('a')).toEqual([1_000, 45_000, 105_000]);
  // b: the grid (3 s) comes before a first round (5 s) would: no extra round.
  expect(starts.get('b')).toEqual([3_000, 63_000, 123_000]);
});

it('skips the grid slot that would follow the first round too closely', async () => {
  const starts = new Map<string, number[]>();
  const draws = [0.2, 0.1];
  const scheduler = new Scheduler({
    checks: [check('a')],
    concurrency: 8,
    onResult: () => {},
    log: silentLogger,
    registry: { ...probes, tcp: recorder(starts) },
    random: () => draws.shift() ?? 0,
    maxStartSpreadSeconds: 10,
  });
  scheduler.start();
  await vi.advanceTimersByTimeAsync(100_000);
  await scheduler.stop();
  // First at 1 s; the grid slot at 12 s is 11 s later (< 30 s): skipped; next at 72 s.
  expect(starts.get('a')).toEqual([1_000, 72_000]);
});

/** An icmp-typed probe that measures rounds together, as the real one does; rounds take `ms`. */
function sharedRecorder(starts: Map<string, number[]>, ms: number): Probe<object, 'icmp'> {
  return {
    type: 'icmp',
    options: z.strictObject({}),
    validateTarget: () => null,
    sharedRounds: { alignMs: 2000 },
    blankFields: () => roundStats([]),
    async run(check) {
      const list = starts.get(check.id) ?? [];
      list.push(Date.now());
      starts.set(check.id, list);
      await new Promise((r) => setTimeout(r, ms));
      return { status: 'ok', fields: roundStats([1]), samples: [1] };
    },
  };
}

it('starts rounds measured together on a grid common to all their checks', async () => {
  const starts = new Map<string, number[]>();
  // Grid offsets 36.6 s and 37.2 s, first rounds at 1.3 s and 0.4 s: aligned up to 2 s.
  const draws = [0.61, 0.13, 0.62, 0.04];
  const scheduler = new Scheduler({
    checks: [
      { ...check('a'), type: 'icmp' },
      { ...check('b'), type: 'icmp' },
    ],
    concurrency: 8,
    onResult: () => {},
    log: silentLogger,
    registry: { ...probes, icmp: sharedRecorder(starts, 0) },
    random: () => draws.shift() ?? 0,
    maxStartSpreadSeconds: 10,
  });
  scheduler.start();
  await vi.advanceTimersByTimeAsync(100_000);
  await scheduler.stop();
  expect(starts.get('a')).toEqual([2_000, 38_000, 98_000]);
  expect(starts.get('b')).toEqual([2_000, 38_000, 98_000]);
});

it('takes no concurrency slot for rounds measured together, so others never wait behind them', async () => {
  const starts = new Map<string, number[]>();
  const icmp = Array.from({ length: 20 }, (_, i) => ({
    ...check(`icmp-${i}`),
    type: 'icmp' as const,
  }));
  const tcp = { ...check('tcp'), intervalSeconds: 10 };
  const scheduler = new Scheduler({
    checks: [...icmp, tcp],
    // One slot: were the 20 long icmp rounds in it, the tcp rounds would queue and be skipped.
    concurrency: 1,
    onResult: () => {},
    log: silentLogger,
    registry: { ...probes, icmp: sharedRecorder(starts, 30_000), tcp: recorder(starts) },
    random: () => 0.5,
    maxStartSpreadSeconds: 10,
  });
  scheduler.start();
  await vi.advanceTimersByTimeAsync(61_000);
  const stats = scheduler.stats();
  await scheduler.stop();
  expect(stats.tcp).toEqual({ runs: 6, skipped: 0 });
  expect(starts.get('tcp')).toEqual([5_000, 15_000, 25_000, 35_000, 45_000, 55_000]);
  for (const c of icmp) expect(starts.get(c.id)).toEqual([6_000]);
});
