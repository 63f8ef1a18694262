import { getEventListeners } from 'node:events';
import { setTimeout as sleep } from 'node:timers/promises';
import type { ProbeResult } from '@branchwatch/contract';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { CheckConfig } from '../config.js';
import { createLogger, silentLogger } from '../log.js';
import type { Probe } from '../probes/probe.js';
import { probes, type ProbeRegistry } from '../probes/registry.js';
import { runCheck } from './run-check.js';
import { Scheduler, runOnce } from './scheduler.js';

/** A tcp-typed probe whose behaviour the test chooses per target: "sleep:MS", "throw", "bad". */
function scriptedProbe(
  onStart?: (target: string) => void,
  onEnd?: () => void,
): Probe<object, 'tcp'> {
  return {
    type: 'tcp',
    options: z.strictObject({}),
    validateTarget: () => null,
    blankFields: () => ({ connect: null }),
    async run(check, signal) {
      onStart?.(check.target);
      try {
        if (check.target === 'throw') throw new Error('boom');
        if (check.target === 'bad') return { status: 'ok', fields: { connect: -1 } };
        const ms = Number(check.target.split(':')[1] ?? 0);
        await sleep(ms, undefined, { signal }).catch(() => {});
        return { status: 'ok', fields: { connect: ms } };
      } finally {
        onEnd?.();
      }
    },
  };
}

const registryWith = (probe: Probe<object, 'tcp'>): ProbeRegistry => ({ ...probes, tcp: probe });
const check = (id: string, target: string, extra: Partial<CheckConfig> = {}): CheckConfig => ({
  id,
  type: 'tcp',
  target,
  intervalSeconds: 10,
  timeoutSeconds: 5,
  options: {},
  ...extra,
});

describe('runCheck', () => {
  const registry = registryWith(scriptedProbe());

  it("leaves nothing attached to the agent's stop signal once a round is over", async () => {
    // The stop signal lives as long as the agent; anything each round hangs on it for good is a
    // leak of one round's worth per round (AbortSignal.any kept every combined signal:
    // https://github.com/nodejs/node/issues/55351).
    const stop = new AbortController().signal;
    for (let i = 0; i < 100; i++) {
      await runCheck(check(`c${i}`, 'sleep:0'), { registry, log: silentLogger, stop });
    }
    expect(getEventListeners(stop, 'abort')).toHaveLength(0);
    // Node's own record of signals combined from this one (set up by the first combination).
    const dependants = Object.getOwnPropertySymbols(stop).find(
      (sym) => sym.description === 'kDependantSignals',
    );
    const attached = dependants
      ? (stop as unknown as Record<symbol, Set<unknown> | undefined>)[dependants]
      : undefined;
    expect(attached?.size ?? 0).toBe(0);
  });

  it('adds the common fields to what the probe measured', async () => {
    const before = Date.now();
    const result = await runCheck(check('pbx', 'sleep:1'), { registry, log: silentLogger });
    expect(result).toMatchObject({
      check: 'pbx',
      type: 'tcp',
      target: 'sleep:1',
      status: 'ok',
      fields: { connect: 1 },
    });
    expect(Date.parse(result.at)).toBeGreaterThanOrEqual(before - 1);
  });

  it('owns the deadline: a round past timeoutSeconds is a failed result', async () => {
    const started = Date.now();
    const result = await runCheck(check('slow', 'sleep:5000', { timeoutSeconds: 0.1 }), {
      registry,
      log: silentLogger,
    });
    expect(result).toMatchObject({
      status: 'failed',
      reason: 'timeout after 0.1s',
      fields: { connect: null },
    });
    expect(Date.now() - started).toBeLessThan(1000);
  });

  it('turns an exception into a failed result and logs it as a bug', async () => {
    const lines: string[] = [];
    const log = createLogger({ write: (l) => lines.push(l) });
    const result = await runCheck(check('buggy', 'throw'), { registry, log });
    expect(result).toMatchObject({ status: 'failed', reason: 'probe error: boom' });
    expect(JSON.parse(lines[0]!)).toMatchObject({ level: 'error', check: 'buggy' });
  });

  it('refuses a result the contract would refuse', async () => {
    const result = await runCheck(check('neg', 'bad'), { registry, log: silentLogger });
    expect(result).toMatchObject({ status: 'failed', fields: { connect: null } });
    expect(result.reason).toMatch(/^probe error: invalid result \(fields\.connect: /);
  });
});

describe('Scheduler', () => {
  it('starts each check at a random offset within its interval', async () => {
    const starts: number[] = [];
    const registry = registryWith(scriptedProbe(() => starts.push(Date.now())));
    const scheduler = new Scheduler({
      checks: [check('a', 'sleep:0', { intervalSeconds: 0.4 })],
      concurrency: 8,
      onResult: () => {},
      log: silentLogger,
      registry,
      random: () => 0.5,
    });
    const begun = Date.now();
    scheduler.start();
    await sleep(300);
    await scheduler.stop();
    expect(starts).toHaveLength(1);
    expect(starts[0]! - begun).toBeGreaterThanOrEqual(190);
    expect(starts[0]! - begun).toBeLessThan(290);
  });

  it('spreads starts over at most maxStartSpreadSeconds', async () => {
    const starts: number[] = [];
    const scheduler = new Scheduler({
      checks: [check('a', 'sleep:0', { intervalSeconds: 3600 })],
      concurrency: 8,
      onResult: () => {},
      log: silentLogger,
      registry: registryWith(scriptedProbe(() => starts.push(Date.now()))),
      random: () => 0.5,
      maxStartSpreadSeconds: 0.4,
    });
    const begun = Date.now();
    scheduler.start();
    await sleep(350);
    await scheduler.stop();
    // Half of the 0.4 s spread, not half of the hour.
    expect(starts).toHaveLength(1);
    expect(starts[0]! - begun).toBeGreaterThanOrEqual(190);
    expect(starts[0]! - begun).toBeLessThan(320);
  });

  it('skips and counts rounds of an overrunning check without delaying the others', async () => {
    const results: ProbeResult[] = [];
    const scheduler = new Scheduler({
      checks: [
        check('slow', 'sleep:250', { intervalSeconds: 0.05 }),
        check('fast', 'sleep:0', { intervalSeconds: 0.05 }),
      ],
      concurrency: 8,
      onResult: (r) => results.push(r),
      log: silentLogger,
      registry: registryWith(scriptedProbe()),
      random: () => 0,
    });
    scheduler.start();
    await sleep(560);
    await scheduler.stop();
    const stats = scheduler.stats();
    expect(stats.slow!.runs).toBeGreaterThanOrEqual(2);
    expect(stats.slow!.runs).toBeLessThanOrEqual(3);
    expect(stats.slow!.skipped).toBeGreaterThanOrEqual(5);
    expect(stats.fast!.runs).toBeGreaterThanOrEqual(8);
    expect(stats.fast!.skipped).toBeLessThanOrEqual(1);
    // Every round started was reported, but the one stop() may have cut off.
    const reported = results.filter((r) => r.check === 'fast').length;
    expect(reported).toBeGreaterThanOrEqual(stats.fast!.runs - 1);
    expect(reported).toBeLessThanOrEqual(stats.fast!.runs);
  });

  it('never runs a changed check while its previous round still runs', async () => {
    let running = 0;
    let most = 0;
    const starts: string[] = [];
    const scheduler = new Scheduler({
      checks: [check('a', 'sleep:300', { intervalSeconds: 0.05 })],
      concurrency: 8,
      onResult: () => {},
      log: silentLogger,
      registry: registryWith(
        scriptedProbe(
          (target) => {
            starts.push(target);
            most = Math.max(most, ++running);
          },
          () => running--,
        ),
      ),
      random: () => 0,
    });
    scheduler.start();
    await sleep(100);
    expect(starts).toEqual(['sleep:300']);
    // The hub's config changes the check while its round runs: the new version waits for it.
    scheduler.replaceChecks([check('a', 'sleep:1', { intervalSeconds: 0.05 })]);
    await sleep(150);
    expect(starts).toEqual(['sleep:300']);
    await sleep(300);
    await scheduler.stop();
    expect(most).toBe(1);
    expect(starts.slice(1).length).toBeGreaterThan(0);
    expect(new Set(starts.slice(1))).toEqual(new Set(['sleep:1']));
  });

  it('runs at most `concurrency` rounds at once', async () => {
    let active = 0;
    let peak = 0;
    const registry = registryWith(
      scriptedProbe(
        () => {
          active++;
          peak = Math.max(peak, active);
        },
        () => active--,
      ),
    );
    const checks = ['a', 'b', 'c', 'd', 'e'].map((id) => check(id, 'sleep:60'));
    const results = await runOnce(checks, { concurrency: 2, log: silentLogger, registry });
    expect(peak).toBe(2);
    expect(results.map((r) => r.check)).toEqual(['a', 'b', 'c', 'd', 'e']);
  });

  it('stop() cuts off running rounds promptly and reports none of them', async () => {
    const results: ProbeResult[] = [];
    const scheduler = new Scheduler({
      checks: [check('long', 'sleep:5000', { intervalSeconds: 10 })],
      concurrency: 1,
      onResult: (r) => results.push(r),
      log: silentLogger,
      registry: registryWith(scriptedProbe()),
      random: () => 0,
    });
    scheduler.start();
    await sleep(50);
    const started = Date.now();
    await scheduler.stop();
    expect(Date.now() - started).toBeLessThan(500);
    expect(results).toEqual([]);
    expect(scheduler.stats().long!.runs).toBe(1);
  });
});
