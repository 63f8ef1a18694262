import { existsSync } from 'node:fs';
import { chmod, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { icmpResult } from '@branchwatch/contract';
import { describe, expect, it } from 'vitest';
import type { CheckConfig } from '../../config.js';
import { createLogger, silentLogger } from '../../log.js';
import { runCheck } from '../../scheduler/run-check.js';
import { probes } from '../registry.js';
import { createIcmpProbe } from './index.js';
import { icmpOptions } from './options.js';
import { roundStats } from './round-stats.js';

const options = icmpOptions.parse({ count: 5, periodMs: 20, perPingTimeoutMs: 500 });
const check = (target: string): CheckConfig => ({
  id: 'loop',
  type: 'icmp',
  target,
  intervalSeconds: 10,
  timeoutSeconds: 5,
  options,
});

describe('icmp probe through real fping', () => {
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

  it('measures the rounds of checks that start together in one fping, each with its own fields', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'bw-icmp-shared-'));
    const calls = join(dir, 'calls');
    const fping = join(dir, 'fping');
    await writeFile(fping, `#!/bin/sh\necho "$*" >> ${calls}\nexec /usr/bin/fping "$@"\n`);
    await chmod(fping, 0o755);
    try {
      const registry = { ...probes, icmp: createIcmpProbe({ fping, log: silentLogger }) };
      const checks = ['127.0.0.1', '::1', '127.0.0.2'].map((target, i) => ({
        ...check(target),
        id: `c${i}`,
        // The same pings; the third leaves its first out of the fields.
        options: i === 2 ? { ...options, discardFirst: true } : options,
      }));
      const results = await Promise.all(
        checks.map((c) => runCheck(c, { registry, log: silentLogger })),
      );
      expect((await readFile(calls, 'utf8')).trim().split('\n')).toHaveLength(1);
      const icmp = results.map((r) => {
        if (r.type !== 'icmp') throw new Error('not an icmp result');
        return r;
      });
      expect(icmp.map((r) => [r.check, r.target, r.status, r.fields.sent])).toEqual([
        ['c0', '127.0.0.1', 'ok', 5],
        ['c1', '::1', 'ok', 5],
        ['c2', '127.0.0.2', 'ok', 4],
      ]);
      for (const r of icmp) expect(r.samples).toHaveLength(5);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

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

// iputils ping must be installed (Debian package iputils-ping), like fping: no test skips itself.
const pingPath = ['/usr/bin/ping', '/bin/ping'].find((p) => existsSync(p)) ?? '/usr/bin/ping';

function capturingLogger() {
  const lines: Record<string, unknown>[] = [];
  const log = createLogger({ write: (line) => lines.push(JSON.parse(line)) });
  return { log, lines };
}

describe('discardFirst', () => {
  it('keeps the first ping in samples but out of the fields', async () => {
    const probe = createIcmpProbe();
    const withDiscard = icmpOptions.parse({ ...options, discardFirst: true });
    const outcome = await probe.run(
      { id: 'x', target: '127.0.0.1', options: withDiscard },
      new AbortController().signal,
    );
    expect(outcome.status).toBe('ok');
    expect(outcome.samples).toHaveLength(5);
    expect(outcome.fields).toEqual(roundStats(outcome.samples!.slice(1)));
    expect(outcome.fields.sent).toBe(4);
  });

  it('needs a count of at least 2', () => {
    const parsed = icmpOptions.safeParse({ count: 1, discardFirst: true });
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues[0]).toMatchObject({
      path: ['count'],
      message: 'discardFirst needs a count of at least 2',
    });
  });
});

describe('icmp probe falling back to iputils ping', () => {
  for (const target of ['127.0.0.1', '::1']) {
    it(`measures a loss-free round to ${target} with ping when fping is missing`, async () => {
      const { log, lines } = capturingLogger();
      const probe = createIcmpProbe({ fping: '/nonexistent/fping', ping: pingPath, log });
      const round = () => probe.run({ id: 'x', target, options }, new AbortController().signal);
      // Three rounds at once (as the scheduler runs them), then one more.
      const outcomes = [...(await Promise.all([round(), round(), round()])), await round()];
      for (const outcome of outcomes) {
        expect(outcome).toMatchObject({ status: 'ok', fields: { sent: 5, received: 5, loss: 0 } });
        expect(outcome.samples).toHaveLength(5);
        expect(outcome.samples!.every((s) => s !== null && s < 50)).toBe(true);
        expect(outcome.fields).toEqual(roundStats(outcome.samples!));
      }
      // Warned once, not once per round.
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatchObject({
        level: 'warn',
        msg: 'fping is not installed (not found on PATH): icmp rounds fall back to ping',
        fping: '/nonexistent/fping',
      });
    });
  }

  it('raises the interval to what ping allows, and says so once', async () => {
    // A ping that refuses intervals below 200 ms, like iputils before 2021 for a non-root user.
    const dir = await mkdtemp(join(tmpdir(), 'bw-ping-'));
    const oldPing = join(dir, 'ping');
    await writeFile(
      oldPing,
      `#!/bin/sh
case " $* " in *" -i 0.2 "*) exec ${pingPath} "$@" ;; esac
echo "ping: cannot flood; minimal interval allowed for user is 200ms" >&2
exit 2
`,
    );
    await chmod(oldPing, 0o755);
    try {
      const { log, lines } = capturingLogger();
      const probe = createIcmpProbe({ fping: '/nonexistent/fping', ping: oldPing, log });
      const quick = icmpOptions.parse({ count: 2, periodMs: 20, perPingTimeoutMs: 500 });
      for (let round = 0; round < 2; round++) {
        const outcome = await probe.run(
          { id: 'x', target: '127.0.0.1', options: quick },
          new AbortController().signal,
        );
        expect(outcome).toMatchObject({ status: 'ok', fields: { sent: 2, received: 2 } });
      }
      expect(lines.map((l) => l.msg)).toEqual([
        'fping is not installed (not found on PATH): icmp rounds fall back to ping',
        'ping refuses intervals below 200 ms for this user: icmp rounds use 200 ms between ' +
          'pings where periodMs is shorter, and may then outlast their timeoutSeconds; ' +
          'install fping to keep periodMs',
      ]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('icmp probe without fping or ping', () => {
  it('fails the round with a reason when neither is installed', async () => {
    const probe = createIcmpProbe({
      fping: '/nonexistent/fping',
      ping: '/nonexistent/ping',
      log: silentLogger,
    });
    const outcome = await probe.run(
      { id: 'x', target: '127.0.0.1', options },
      new AbortController().signal,
    );
    expect(outcome).toMatchObject({
      status: 'failed',
      reason: 'neither fping nor ping is installed (not found on PATH)',
      fields: { sent: 0 },
    });
  });

  it('refuses targets that are neither addresses nor host names', () => {
    const probe = createIcmpProbe();
    expect(probe.validateTarget('192.0.2.1')).toBeNull();
    expect(probe.validateTarget('2001:db8::1')).toBeNull();
    expect(probe.validateTarget('gw.branch-1.example')).toBeNull();
    expect(probe.validateTarget('-f/etc/passwd')).toBe(
      '"-f/etc/passwd" is not an IP address or a host name',
    );
    expect(probe.validateTarget('a b')).not.toBeNull();
    expect(probe.validateTarget('999.1.1.1')).toBe('"999.1.1.1" is not a valid IPv4 address');
  });
});
