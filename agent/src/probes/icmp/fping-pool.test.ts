import { chmod, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FpingPool, type PoolOutcome } from './fping-pool.js';

// Real fping on loopback (the whole 127/8 answers on lo), through a seam that records each
// invocation's arguments before running it.
let dir: string;
let fping: string;
let calls: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'bw-fping-pool-'));
  calls = join(dir, 'calls');
  fping = join(dir, 'fping');
  await writeFile(fping, `#!/bin/sh\necho "$*" >> ${calls}\nexec /usr/bin/fping "$@"\n`);
  await chmod(fping, 0o755);
});
afterAll(() => rm(dir, { recursive: true, force: true }));

async function invocations(): Promise<string[][]> {
  const text = await readFile(calls, 'utf8').catch(() => '');
  await rm(calls, { force: true });
  return text
    .trim()
    .split('\n')
    .filter(Boolean)
    .map((line) => line.split(' '));
}
const targetsOf = (args: string[]) => args.slice(args.indexOf('--') + 1);
const loopback = (n: number) => Array.from({ length: n }, (_, i) => `127.0.${i >> 8}.${i & 255}`);
const live = () => new AbortController().signal;

describe('FpingPool through real fping', () => {
  it('measures rounds that start together in one fping, each target with its own samples', async () => {
    const pool = new FpingPool({ fping });
    const timing = { count: 3, periodMs: 200, perPingTimeoutMs: 500 };
    const targets = [...loopback(40).slice(1), '::1', 'localhost'];
    const outcomes = await Promise.all(targets.map((t) => pool.measure(t, timing, live())));

    const runs = await invocations();
    expect(runs).toHaveLength(1);
    expect(runs[0]!.slice(0, runs[0]!.indexOf('--'))).toEqual([
      '-C',
      '3',
      '-p',
      '200',
      '-t',
      '500',
      '-i',
      '1',
      '-q',
    ]);
    expect(targetsOf(runs[0]!)).toEqual(targets);
    for (const outcome of outcomes) {
      expect(outcome).toMatchObject({ ok: true, icmpErrors: [] });
      const samples = (outcome as { samples: (number | null)[] }).samples;
      expect(samples).toHaveLength(3);
      expect(samples.every((s) => s !== null && s < 50)).toBe(true);
    }
  });

  it('keeps different counts, periods and timeouts apart, and fills no fping past half a period', async () => {
    const pool = new FpingPool({ fping });
    const fast = { count: 2, periodMs: 20, perPingTimeoutMs: 200 };
    const slow = { count: 2, periodMs: 200, perPingTimeoutMs: 200 };
    // A period of 20 ms with 1 ms between pings: at most 10 targets per fping.
    const rounds = [
      ...loopback(25).map((t) => pool.measure(t, fast, live())),
      ...loopback(5).map((t) => pool.measure(t, slow, live())),
    ];
    await Promise.all(rounds);
    const runs = await invocations();
    const sizes = runs.map((args) => `${args[3]}:${targetsOf(args).length}`).sort();
    expect(sizes).toEqual(['20:10', '20:10', '200:5', '20:5'].sort());
  });

  it('says which target did not resolve, and measures the others', async () => {
    const pool = new FpingPool({ fping });
    const timing = { count: 2, periodMs: 50, perPingTimeoutMs: 200 };
    // .invalid never resolves (RFC 6761 §6.4): no query leaves the machine for it.
    const [good, bad] = await Promise.all([
      pool.measure('127.0.0.2', timing, live()),
      pool.measure('nonexistent.invalid', timing, live()),
    ]);
    expect(good).toMatchObject({ ok: true });
    expect(bad).toEqual({ ok: false, reason: 'cannot resolve "nonexistent.invalid"' });
    expect(await invocations()).toHaveLength(1);
  });

  it('lets the others finish when one round is given up, and ends fping when all are', async () => {
    const pool = new FpingPool({ fping });
    const timing = { count: 10, periodMs: 100, perPingTimeoutMs: 500 };
    const quitter = new AbortController();
    const [kept, quit] = await Promise.all([
      pool.measure('127.0.0.3', timing, live()),
      pool.measure('127.0.0.4', timing, quitter.signal),
      new Promise((r) => setTimeout(r, 100)).then(() => quitter.abort()),
    ]);
    expect(kept).toMatchObject({ ok: true });
    expect((kept as { samples: unknown[] }).samples).toHaveLength(10);
    expect(quit).toEqual({ ok: false, reason: 'round aborted' });

    const all = [new AbortController(), new AbortController()];
    const started = Date.now();
    const rounds: Promise<PoolOutcome>[] = all.map((c, i) =>
      pool.measure(`127.0.0.${5 + i}`, { ...timing, count: 100 }, c.signal),
    );
    await new Promise((r) => setTimeout(r, 200));
    expect(pool.running).toBe(1);
    for (const c of all) c.abort();
    expect(await Promise.all(rounds)).toEqual([
      { ok: false, reason: 'round aborted' },
      { ok: false, reason: 'round aborted' },
    ]);
    await new Promise((r) => setTimeout(r, 100));
    expect(pool.running).toBe(0);
    expect(Date.now() - started).toBeLessThan(5000);
    await invocations();
  });

  it('tells the caller when fping is not installed', async () => {
    const pool = new FpingPool({ fping: join(dir, 'no-such-fping') });
    const timing = { count: 1, periodMs: 20, perPingTimeoutMs: 100 };
    expect(await pool.measure('127.0.0.1', timing, live())).toEqual({ missing: true });
  });
});
