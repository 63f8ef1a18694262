import { describe, expect, it } from 'vitest';
import { counterDelta, detectReboot, interfaceRates, type InterfaceCounters } from './rates.js';

const counters = (over: Partial<InterfaceCounters> = {}): InterfaceCounters => ({
  discontinuity: 0,
  inOctets: 0n,
  outOctets: 0n,
  inErrors: 0n,
  outErrors: 0n,
  inDiscards: 0n,
  outDiscards: 0n,
  ...over,
});

const MAX64 = (1n << 64n) - 1n;
const MAX32 = (1n << 32n) - 1n;

describe('counterDelta', () => {
  it('is the plain difference while the counter grows', () => {
    expect(counterDelta(1000n, 1500n, 64)).toBe(500n);
    expect(counterDelta(7n, 7n, 32)).toBe(0n);
  });

  it('counts across one wrap of a 64-bit counter', () => {
    // 99 up to the top, 1 to wrap to zero, 50 past it.
    expect(counterDelta(MAX64 - 99n, 50n, 64)).toBe(150n);
  });

  it('counts across one wrap of a 32-bit counter', () => {
    expect(counterDelta(MAX32 - 9n, 5n, 32)).toBe(15n);
  });

  it('takes a fall back to a small value as a reset, not a wrap', () => {
    expect(counterDelta(5_000_000n, 1000n, 64)).toBeNull();
    expect(counterDelta(1000n, 10n, 32)).toBeNull();
    // High in the 32-bit range, a fall is a plausible wrap and is counted as one.
    expect(counterDelta(3_000_000_000n, 10n, 32)).toBe(1_294_967_306n);
  });

  it('refuses values outside the counter range', () => {
    expect(counterDelta(0n, 1n << 32n, 32)).toBeNull();
  });
});

describe('detectReboot', () => {
  it('sees no reboot when sysUpTime advanced with the clock', () => {
    expect(
      detectReboot(
        { atMs: 0, uptimeTicks: 100_000, spanMs: 5 },
        { atMs: 60_000, uptimeTicks: 106_000, spanMs: 5 },
      ),
    ).toBe(false);
  });

  it('sees a reboot when sysUpTime went backwards', () => {
    expect(
      detectReboot(
        { atMs: 0, uptimeTicks: 100_000, spanMs: 5 },
        { atMs: 60_000, uptimeTicks: 500, spanMs: 5 },
      ),
    ).toBe(true);
  });

  it('sees a reboot even when the new uptime is past the old one', () => {
    // Up 10 s, polled an hour later, up only 20 min: it restarted in between.
    expect(
      detectReboot(
        { atMs: 0, uptimeTicks: 1000, spanMs: 5 },
        { atMs: 3_600_000, uptimeTicks: 120_000, spanMs: 5 },
      ),
    ).toBe(true);
  });

  it('does not take the 497-day TimeTicks wrap for a reboot', () => {
    const top = 2 ** 32 - 1000;
    expect(
      detectReboot(
        { atMs: 0, uptimeTicks: top, spanMs: 5 },
        { atMs: 60_000, uptimeTicks: 5000, spanMs: 5 },
      ),
    ).toBe(false);
  });

  it('sees a restart a few seconds after the previous round', () => {
    expect(
      detectReboot(
        { atMs: 0, uptimeTicks: 30, spanMs: 5 },
        { atMs: 3000, uptimeTicks: 31, spanMs: 5 },
      ),
    ).toBe(true);
  });

  it('allows for a slow previous answer: its clock was read late in it', () => {
    // Sent at 0, answered 1.5 s later with an uptime read at the end.
    expect(
      detectReboot(
        { atMs: 0, uptimeTicks: 10_150, spanMs: 1500 },
        { atMs: 10_000, uptimeTicks: 11_000, spanMs: 5 },
      ),
    ).toBe(false);
  });

  it('tolerates a little drift between the two clocks', () => {
    expect(
      detectReboot(
        { atMs: 0, uptimeTicks: 100_000, spanMs: 5 },
        { atMs: 60_000, uptimeTicks: 105_900, spanMs: 5 },
      ),
    ).toBe(false);
  });
});

describe('interfaceRates', () => {
  it('turns octets into bits per second and errors into errors per second', () => {
    const before = counters({
      inOctets: 1_000_000n,
      outOctets: 0n,
      inErrors: 10n,
      outDiscards: 4n,
    });
    const after = counters({
      inOctets: 1_250_000n,
      outOctets: 125n,
      inErrors: 20n,
      outDiscards: 9n,
    });
    expect(interfaceRates(before, after, 10_000, false)).toEqual({
      inBitsPerSecond: 200_000,
      outBitsPerSecond: 100,
      inErrorsPerSecond: 1,
      outErrorsPerSecond: 0,
      inDiscardsPerSecond: 0,
      outDiscardsPerSecond: 0.5,
      countersReset: false,
    });
  });

  it('handles a 64-bit wrap between rounds', () => {
    const rates = interfaceRates(
      counters({ inOctets: MAX64 - 999n }),
      counters({ inOctets: 1000n }),
      1000,
      false,
    );
    expect(rates.inBitsPerSecond).toBe(2000 * 8);
  });

  it('starts a new baseline on the first round, a reboot or a counter discontinuity', () => {
    const reset = { inBitsPerSecond: null, countersReset: true };
    expect(interfaceRates(undefined, counters(), 1000, false)).toMatchObject(reset);
    expect(interfaceRates(counters(), counters({ inOctets: 5n }), 1000, true)).toMatchObject(reset);
    expect(
      interfaceRates(
        counters({ discontinuity: 0 }),
        counters({ discontinuity: 4242 }),
        1000,
        false,
      ),
    ).toMatchObject(reset);
  });

  it('gives no rate for one counter that fell back without an announced reset', () => {
    const rates = interfaceRates(
      counters({ inOctets: 9_000_000n, outOctets: 100n }),
      counters({ inOctets: 10n, outOctets: 200n }),
      1000,
      false,
    );
    expect([rates.inBitsPerSecond, rates.outBitsPerSecond, rates.countersReset]).toEqual([
      null,
      800,
      false,
    ]);
  });

  it('gives no rate for a counter the agent did not return', () => {
    const rates = interfaceRates(
      counters({ inErrors: null }),
      counters({ inErrors: 5n }),
      1000,
      false,
    );
    expect(rates.inErrorsPerSecond).toBeNull();
  });
});
