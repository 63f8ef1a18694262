import { existsSync } from 'node:fs';
import { icmpResult } from '@branchwatch/contract';
import { describe, expect, it } from 'vitest';
import type { CheckConfig } from '../../config.js';
import { silentLogger } from '../../log.js';
import { runCheck } from '../../scheduler/run-check.js';
import { probes } from '../registry.js';
import { createIcmpProbe } from './index.js';
import { icmpOptions } from './options.js';

const options = icmpOptions.parse({ count: 5, periodMs: 20, perPingTimeoutMs: 500 });
const check = (target: string): CheckConfig => ({
  id: 'loop',
  type: 'icmp',
  target,
  intervalSeconds: 10,
  timeoutSeconds: 5,
  options,
});

describe.runIf(existsSync('/usr/bin/fping'))('icmp probe through real fping', () => {
  for (const target of ['127.0.0.1', '::1']) {
    it(`measures a loss-free round to ${target}`, async () => {
      const result = await runCheck(check(target), { registry: probes, log: silentLogger });
      expect(icmpResult.parse(result)).toEqual(result);
      if (result.type !== 'icmp') throw new Error('not an icmp result');
      const f = result.fields;
      expect(result.status).toBe('ok');
      expect([f.sent, f.received, f.loss]).toEqual([5, 5, 0]);
      expect(f.min!).toBeLessThanOrEqual(f.median!);
      expect(f.median!).toBeLessThanOrEqual(f.p95!);
      expect(f.p95!).toBeLessThanOrEqual(f.max!);
      expect(f.max!).toBeLessThan(50);
      expect(f.jitter).not.toBeNull();
      expect(result.samples).toHaveLength(5);
    });
  }

  it('kills fping when the runner aborts the round', async () => {
    const slow = {
      ...check('127.0.0.1'),
      timeoutSeconds: 0.2,
      options: { ...options, count: 50, periodMs: 100 },
    };
    const started = Date.now();
    const result = await runCheck(slow, { registry: probes, log: silentLogger });
    expect(result).toMatchObject({ status: 'failed', reason: 'timeout after 0.2s' });
    expect(Date.now() - started).toBeLessThan(2000);
  });
});

describe('icmp probe without fping', () => {
  it('fails the round with a reason when fping is missing', async () => {
    const probe = createIcmpProbe({ fping: '/nonexistent/fping' });
    const outcome = await probe.run(
      { id: 'x', target: '127.0.0.1', options },
      new AbortController().signal,
    );
    expect(outcome).toMatchObject({
      status: 'failed',
      reason: 'fping is not installed (not found on PATH)',
    });
  });

  it('refuses targets that are neither addresses nor host names', () => {
    const probe = createIcmpProbe();
    expect(probe.validateTarget('192.0.2.1')).toBeNull();
    expect(probe.validateTarget('2001:db8::1')).toBeNull();
    expect(probe.validateTarget('gw.branch-1.example')).toBeNull();
    expect(probe.validateTarget('-f/etc/passwd')).toBe(
      'expected an IPv4 or IPv6 address or a host name',
    );
    expect(probe.validateTarget('a b')).not.toBeNull();
  });
});
