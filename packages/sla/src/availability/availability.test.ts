import { describe, expect, it } from 'vitest';
import { HOUR, MINUTE } from '../testing/wall-clock.js';
import { availability, type Outage } from './availability.js';

// April 2026 in UTC: 30 days = 2 592 000 000 ms. At 99.5 % the link may be down
// 0.5 % of that = 12 960 000 ms = 3 h 36 min.
const april = { from: new Date('2026-04-01T00:00:00Z'), to: new Date('2026-05-01T00:00:00Z') };
const outage = (from: string, to: string | null): Outage => ({
  from: new Date(from),
  to: to === null ? null : new Date(to),
});

describe('availability over a month', () => {
  it('clips outages to the month, merges overlaps and checks the target', () => {
    const result = availability(
      [
        outage('2026-04-03T10:30:00Z', '2026-04-03T12:00:00Z'),
        outage('2026-03-31T23:00:00Z', '2026-04-01T01:00:00Z'), // 1 h of it in April
        outage('2026-04-03T10:00:00Z', '2026-04-03T11:00:00Z'), // overlaps: 10:00–12:00 = 2 h
        outage('2026-05-01T00:00:00Z', '2026-05-01T02:00:00Z'), // May
      ],
      april,
      99.5,
    );
    expect(result.outages).toEqual([
      { from: new Date('2026-04-01T00:00:00Z'), to: new Date('2026-04-01T01:00:00Z') },
      { from: new Date('2026-04-03T10:00:00Z'), to: new Date('2026-04-03T12:00:00Z') },
    ]);
    expect(result.periodMs).toBe(2_592_000_000);
    expect(result.downtimeMs).toBe(3 * HOUR); // 1 h + 2 h
    // 100 × (2 592 000 000 − 10 800 000) / 2 592 000 000 = 99.58333… %
    expect(result.percent).toBeCloseTo(99.583333, 5);
    expect(result.allowedDowntimeMs).toBe(3 * HOUR + 36 * MINUTE);
    expect(result.budgetRemainingMs).toBe(36 * MINUTE);
    expect(result.met).toBe(true);
  });

  it('misses the target once the budget is spent', () => {
    // 4 h down > 3 h 36 min allowed: 24 min over; 100 × (720 h − 4 h) / 720 h = 99.444… %
    const result = availability(
      [outage('2026-04-10T08:00:00Z', '2026-04-10T12:00:00Z')],
      april,
      99.5,
    );
    expect(result.met).toBe(false);
    expect(result.budgetRemainingMs).toBe(-24 * MINUTE);
    expect(result.percent).toBeCloseTo(99.444444, 5);
  });

  it('meets the target at exactly the allowed downtime', () => {
    const result = availability(
      [outage('2026-04-10T08:00:00Z', '2026-04-10T11:36:00Z')],
      april,
      99.5,
    );
    expect(result.met).toBe(true);
    expect(result.budgetRemainingMs).toBe(0);
    expect(result.percent).toBe(99.5);
  });

  it('counts an ongoing outage until now, and merges outages that touch', () => {
    const result = availability(
      [
        outage('2026-04-30T21:00:00Z', '2026-04-30T22:00:00Z'),
        outage('2026-04-30T22:00:00Z', null), // still down
      ],
      april,
      99.5,
      new Date('2026-04-30T23:00:00Z'),
    );
    expect(result.outages).toEqual([
      { from: new Date('2026-04-30T21:00:00Z'), to: new Date('2026-04-30T23:00:00Z') },
    ]);
    expect(result.downtimeMs).toBe(2 * HOUR);
    // Without `now` an ongoing outage runs to the end of the period: 21:00 → 24:00.
    expect(availability([outage('2026-04-30T21:00:00Z', null)], april, 99.5).downtimeMs).toBe(
      3 * HOUR,
    );
  });

  it('is 100 % without outages and rejects nonsense', () => {
    expect(availability([], april, 99.9)).toMatchObject({ percent: 100, downtimeMs: 0, met: true });
    expect(() => availability([], { from: april.to, to: april.from }, 99.5)).toThrow(
      'an availability period must end after it starts',
    );
    expect(() => availability([], april, 150)).toThrow('availability target must be a percentage');
  });
});
