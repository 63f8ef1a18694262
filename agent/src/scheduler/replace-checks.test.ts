import net from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import type { ProbeResult } from '@branchwatch/contract';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { CheckConfig } from '../config.js';
import { silentLogger } from '../log.js';
import { Scheduler } from './scheduler.js';

let server: net.Server;
let target: string;
beforeAll(async () => {
  server = net.createServer((socket) => socket.end());
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  target = `127.0.0.1:${(server.address() as net.AddressInfo).port}`;
});
afterAll(() => server.close());

const tcp = (id: string, intervalSeconds = 0.1): CheckConfig => ({
  id,
  type: 'tcp',
  target,
  intervalSeconds,
  timeoutSeconds: 1,
  options: {},
});

it('swaps checks while running: new ones start, removed ones stop, unchanged ones keep going', async () => {
  const results: ProbeResult[] = [];
  const scheduler = new Scheduler({
    checks: [tcp('kept'), tcp('removed')],
    concurrency: 4,
    onResult: (r) => results.push(r),
    log: silentLogger,
    random: () => 0,
  });
  scheduler.start();
  await sleep(350);
  const keptStats = scheduler.stats().kept!;
  scheduler.replaceChecks([tcp('kept'), tcp('added')]);
  const swappedAt = results.length;
  await sleep(350);
  await scheduler.stop();

  const after = results.slice(swappedAt).map((r) => r.check);
  expect(after).toContain('kept');
  expect(after).toContain('added');
  // A round of the removed check may have been running at the swap; nothing starts after it.
  expect(after.filter((c) => c === 'removed').length).toBeLessThanOrEqual(1);
  expect(scheduler.checks().map((c) => c.id)).toEqual(['kept', 'added']);
  // The unchanged check kept its state (its counters went on from where they were).
  expect(scheduler.stats().kept!.runs).toBeGreaterThan(keptStats.runs);
  expect(results.every((r) => r.status === 'ok')).toBe(true);
});

it('reschedules a check whose definition changed', async () => {
  const results: ProbeResult[] = [];
  const scheduler = new Scheduler({
    checks: [tcp('slow', 3600)],
    concurrency: 4,
    onResult: (r) => results.push(r),
    log: silentLogger,
    random: () => 0,
  });
  scheduler.start();
  await sleep(100);
  expect(results.filter((r) => r.check === 'slow')).toHaveLength(1);
  scheduler.replaceChecks([tcp('slow', 0.1)]);
  await sleep(350);
  await scheduler.stop();
  expect(results.filter((r) => r.check === 'slow').length).toBeGreaterThanOrEqual(3);
});

it('arms nothing before start', async () => {
  const results: ProbeResult[] = [];
  const scheduler = new Scheduler({
    checks: [],
    concurrency: 4,
    onResult: (r) => results.push(r),
    log: silentLogger,
    random: () => 0,
  });
  scheduler.replaceChecks([tcp('early')]);
  await sleep(150);
  expect(results).toEqual([]);
  scheduler.start();
  await sleep(150);
  await scheduler.stop();
  expect(results.map((r) => r.check)).toContain('early');
});
