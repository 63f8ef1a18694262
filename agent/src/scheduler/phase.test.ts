import { afterEach, beforeEach, expect, it, vi } from 'vitest';
import { z } from 'zod';
import type { CheckConfig } from '../config.js';
import { silentLogger } from '../log.js';
import type { Probe } from '../probes/probe.js';
import { probes } from '../probes/registry.js';
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
