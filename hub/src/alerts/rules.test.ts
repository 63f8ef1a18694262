import { describe, expect, it } from 'vitest';
import { isOpen, type MaintenanceWindow } from './maintenance.js';
import { validateRecurrence, type Recurrence } from './recurrence.js';
import { autoPriority } from './priority.js';
import { resolvePolicy, type RuleSet } from './rules.js';
import { breaches } from './thresholds.js';

const defaults = {
  hysteresis: { failRounds: 3, recoverRounds: 2 },
  flap: { changes: 5, windowSeconds: 1800, quietSeconds: 1800 },
};
const check = { id: 'c1', tenantId: 't1', branchId: 'b1', type: 'icmp' };
const rule = (r: Partial<RuleSet>): RuleSet => ({
  tenantId: 't1',
  scope: 'tenant',
  scopeId: 't1',
  checkType: '*',
  thresholds: [],
  failRounds: null,
  recoverRounds: null,
  flapChanges: null,
  flapWindowSeconds: null,
  flapQuietSeconds: null,
  ...r,
});

describe('thresholds', () => {
  it('names each breach with its unit, and ignores fields not measured', () => {
    const policy = resolvePolicy(check, [], defaults);
    expect(breaches({ loss: 12, median: 151 }, policy.thresholds)).toEqual([
      'loss 12 % > 5 %',
      'median 151 ms > 150 ms',
    ]);
    expect(breaches({ loss: 5, median: null }, policy.thresholds)).toEqual([]);
    expect(
      breaches({ driftSeconds: -7 }, [{ field: 'driftSeconds', op: '>', value: 5, abs: true }]),
    ).toEqual(['|driftSeconds| 7 s > 5 s']);
  });

  it('merges layers field by field, most specific last', () => {
    const rules = [
      rule({ thresholds: [{ field: 'loss', op: '>', value: 2 }], failRounds: 4 }),
      rule({
        scope: 'branch',
        scopeId: 'b1',
        checkType: 'icmp',
        thresholds: [{ field: 'median', op: '>', value: 300 }],
      }),
      rule({
        scope: 'check',
        scopeId: 'c1',
        thresholds: [{ field: 'loss', op: '>', value: 1, enabled: false }],
        recoverRounds: 1,
      }),
      rule({
        scope: 'branch',
        scopeId: 'other',
        thresholds: [{ field: 'jitter', op: '>', value: 1 }],
      }),
      rule({ scope: 'branch', scopeId: 'b1', checkType: 'voice', failRounds: 9 }),
    ];
    const policy = resolvePolicy(check, rules, defaults);
    expect(policy.thresholds).toEqual([{ field: 'median', op: '>', value: 300 }]);
    expect(policy.hysteresis).toEqual({ failRounds: 4, recoverRounds: 1 });
    expect(policy.flap).toEqual(defaults.flap);
  });
});

describe('maintenance windows', () => {
  const weekly: MaintenanceWindow = {
    id: 'w',
    tenantId: 't1',
    scope: 'branch',
    scopeId: 'b1',
    reason: '',
    startsAt: null,
    endsAt: null,
    weekly: { sat: ['02:00-04:00'] },
    recurrence: null,
    zone: null,
  };
  it("reads a weekly window on the branch's clock", () => {
    // Saturday 2026-03-07 02:30 in Tehran (UTC+03:30) is 23:00 UTC on Friday.
    expect(isOpen(weekly, new Date('2026-03-06T23:00:00Z'), 'Asia/Tehran')).toBe(true);
    expect(isOpen(weekly, new Date('2026-03-06T23:00:00Z'), 'UTC')).toBe(false);
    expect(isOpen(weekly, new Date('2026-03-07T02:30:00Z'), 'UTC')).toBe(true);
    expect(isOpen(weekly, new Date('2026-03-07T04:00:00Z'), 'UTC')).toBe(false);
  });
  const recurring = (recurrence: Recurrence, zone: string | null = null): MaintenanceWindow => ({
    ...weekly,
    weekly: null,
    recurrence,
    zone,
  });
  const openAt = (w: MaintenanceWindow, zone: string, times: string[]) =>
    times.map((at) => isOpen(w, new Date(at), zone));

  it('opens a recurring window on each day of its rule, past midnight, from its first day', () => {
    // Every Friday 22:00–02:00 in Tehran (UTC+03:30 all year), from Friday 4 December 2026.
    const friday = recurring({
      rule: 'FREQ=WEEKLY;BYDAY=FR',
      from: '2026-12-04',
      until: '2026-12-18',
      start: '22:00',
      end: '02:00',
    });
    expect(
      openAt(friday, 'Asia/Tehran', [
        '2026-12-11T18:29:00Z', // Fri 21:59: not yet
        '2026-12-11T18:30:00Z', // Fri 22:00: open
        '2026-12-11T22:29:00Z', // Sat 01:59: still open
        '2026-12-11T22:30:00Z', // Sat 02:00: closed
        '2026-12-10T19:00:00Z', // Thu 22:30: not a Friday
        '2026-11-27T19:00:00Z', // the Friday before the first day
        '2026-12-18T22:00:00Z', // Sat 01:30 after the last Friday: open
        '2026-12-25T19:00:00Z', // the Friday after the last day
      ]),
    ).toEqual([false, true, true, false, false, false, true, false]);
    // Its own zone wins over the branch's.
    expect(
      isOpen({ ...friday, zone: 'UTC' }, new Date('2026-12-11T22:30:00Z'), 'Asia/Tehran'),
    ).toBe(true);
  });

  it('keeps wall-clock hours across both DST changes in Paris', () => {
    // Every Sunday 01:00–04:00 in Paris. On 25 Oct 2026 clocks go back at 03:00 CEST → 02:00
    // CET: the night is four hours long. On 28 Mar 2027 they go forward at 02:00 CET → 03:00
    // CEST: it is two. The week after, summer time: 23:00–02:00 UTC.
    const sunday = recurring({
      rule: 'FREQ=WEEKLY;BYDAY=SU',
      from: '2026-10-01',
      until: null,
      start: '01:00',
      end: '04:00',
    });
    expect(
      openAt(sunday, 'Europe/Paris', [
        '2026-10-24T22:59:00Z',
        '2026-10-24T23:00:00Z', // 01:00 CEST
        '2026-10-25T02:59:00Z', // 03:59 CET, four hours later
        '2026-10-25T03:00:00Z', // 04:00 CET
        '2027-03-27T23:59:00Z',
        '2027-03-28T00:00:00Z', // 01:00 CET
        '2027-03-28T01:59:00Z', // 03:59 CEST, two hours later
        '2027-03-28T02:00:00Z', // 04:00 CEST
        '2027-04-03T22:59:00Z',
        '2027-04-03T23:00:00Z', // 01:00 CEST
        '2027-04-04T02:00:00Z', // 04:00 CEST
      ]),
    ).toEqual([false, true, true, false, false, true, true, false, false, true, false]);
  });

  it('counts intervals from the first day and skips months without the day', () => {
    const everyOther = recurring({
      rule: 'FREQ=DAILY;INTERVAL=2',
      from: '2027-01-01',
      until: null,
      start: '10:00',
      end: '11:00',
    });
    expect(
      openAt(everyOther, 'UTC', ['2027-01-01T10:30Z', '2027-01-02T10:30Z', '2027-01-03T10:30Z']),
    ).toEqual([true, false, true]);
    const monthEnd = recurring({
      rule: 'FREQ=MONTHLY;BYMONTHDAY=31',
      from: '2027-01-01',
      until: null,
      start: '23:00',
      end: '23:30',
    });
    expect(
      openAt(monthEnd, 'UTC', ['2027-01-31T23:10Z', '2027-02-28T23:10Z', '2027-03-31T23:10Z']),
    ).toEqual([true, false, true]);
  });

  it('refuses a recurrence it cannot read, naming the field', () => {
    const good = {
      rule: 'FREQ=WEEKLY;BYDAY=FR',
      from: '2026-12-04',
      until: null,
      start: '22:00',
      end: '02:00',
    };
    expect(() => validateRecurrence(good, null)).not.toThrow();
    const bad: [Partial<Recurrence>, string | null, string][] = [
      [{ rule: 'FREQ=HOURLY' }, null, 'recurrence.rule: FREQ must be DAILY, WEEKLY or MONTHLY'],
      [{ rule: 'FREQ=WEEKLY' }, null, 'recurrence.rule: FREQ=WEEKLY needs BYDAY (the weekdays)'],
      [{ rule: 'FREQ=WEEKLY;BYDAY=XX' }, null, 'recurrence.rule: BYDAY: "XX" is not one of'],
      [{ rule: 'FREQ=DAILY;COUNT=3' }, null, 'recurrence.rule: COUNT is not supported'],
      [{ from: '2026-02-30' }, null, 'recurrence.from: no such date "2026-02-30"'],
      [{ until: '2026-12-01' }, null, 'recurrence.until: the last day is before the first'],
      [{ start: '24:00' }, null, 'recurrence.start: "24:00" is not a time of day HH:MM'],
      [{ end: '22:00' }, null, 'recurrence.end: a window cannot end as it starts'],
      [{}, 'Mars/Olympus', 'zone: unknown zone "Mars/Olympus"'],
    ];
    for (const [change, zone, message] of bad) {
      expect(() => validateRecurrence({ ...good, ...change }, zone)).toThrow(message);
    }
  });

  it('includes the start of a one-off window, not its end', () => {
    const w = { ...weekly, weekly: null, startsAt: new Date(1000), endsAt: new Date(2000) };
    expect([999, 1000, 1999, 2000].map((ms) => isOpen(w, new Date(ms), 'UTC'))).toEqual([
      false,
      true,
      true,
      false,
    ]);
  });
});

describe('auto-priority', () => {
  it('adds category, criticality, repeats and impact, and says so', () => {
    expect(
      autoPriority({ category: 'onvif', criticality: 'low', repeats: 0, children: 0 }),
    ).toEqual({
      priority: 'low',
      reason:
        'priority low (score 1): category onvif +1, branch criticality low +0, repeats 0 +0, impact 0 suppressed +0',
      facts: {
        priority: 'low',
        score: 1,
        category: 'onvif',
        criticality: 'low',
        repeats: 0,
        children: 0,
        weights: { category: 1, criticality: 0, repeats: 0, impact: 0 },
      },
    });
    expect(
      autoPriority({ category: 'wan', criticality: 'critical', repeats: 5, children: 20 }).priority,
    ).toBe('urgent');
    expect(
      autoPriority({ category: 'icmp', criticality: 'normal', repeats: 0, children: 0 }).priority,
    ).toBe('normal');
  });
});
