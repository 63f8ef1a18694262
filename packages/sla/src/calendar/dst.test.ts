import { describe, expect, it } from 'vitest';
import { HOUR, wallClock } from '../testing/wall-clock.js';
import { businessCalendar } from './business-calendar.js';
import { addBusinessMs, businessMsBetween, nextWorkingInstant } from './business-time.js';
import { ALWAYS_OPEN, mondayToFridayWeek, workingWeek } from './working-week.js';

// Europe/Paris: clocks jump 02:00 → 03:00 on Sun 2026-03-29 (CET +01:00 → CEST +02:00) and
// fall back 03:00 → 02:00 on Sun 2026-10-25.
const office = businessCalendar({
  zone: 'Europe/Paris',
  week: mondayToFridayWeek(['09:00-17:00']),
});
const noc = businessCalendar({ zone: 'Europe/Paris', week: ALWAYS_OPEN });
const p = wallClock('Europe/Paris');

describe('working windows across a DST change (Europe/Paris)', () => {
  it('keeps office hours on the wall clock when the offset changes over the weekend', () => {
    // Fri 2026-03-27 16:00 CET + 2 h: Fri 16:00–17:00 = 1 h, Mon 09:00 CEST + 1 h = 10:00.
    const deadline = addBusinessMs(office, p.at('2026-03-27 16:00'), 2 * HOUR);
    expect(p.show(deadline)).toBe('Mon 2026-03-30 10:00');
    // In UTC: Fri 15:00Z → Mon 08:00Z; the window moved an hour earlier in UTC, not in Paris.
    expect(deadline.toISOString()).toBe('2026-03-30T08:00:00.000Z');
    // Fri 09:00 → Mon 17:00: two full 8 h days.
    expect(businessMsBetween(office, p.at('2026-03-27 09:00'), p.at('2026-03-30 17:00'))).toBe(
      16 * HOUR,
    );
  });

  it('counts the real length of a 23 h and a 25 h day when open all day', () => {
    // Sat 28 00:00 → Mon 30 00:00 = 24 h + 23 h (Sunday lost an hour).
    expect(businessMsBetween(noc, p.at('2026-03-28 00:00'), p.at('2026-03-30 00:00'))).toBe(
      47 * HOUR,
    );
    // Sat 24 Oct 00:00 → Mon 26 00:00 = 24 h + 25 h (Sunday gained one).
    expect(businessMsBetween(noc, p.at('2026-10-24 00:00'), p.at('2026-10-26 00:00'))).toBe(
      49 * HOUR,
    );
    // Sun 29 Mar 00:00 CET + 3 h of real time: 00:00 → 02:00 (2 h), jump to 03:00, + 1 h = 04:00.
    expect(p.show(addBusinessMs(noc, p.at('2026-03-29 00:00'), 3 * HOUR))).toBe(
      'Sun 2026-03-29 04:00',
    );
  });

  it('shortens or lengthens a window that contains the change', () => {
    const night = businessCalendar({
      zone: 'Europe/Paris',
      week: workingWeek([], ['01:00-04:00']),
    });
    // 01:00–04:00 on the wall: 2 h of real time on 29 March, 4 h on 25 October.
    const day = (d: string): number =>
      businessMsBetween(night, p.at(`${d} 00:00`), p.at(`${d} 12:00`));
    expect(day('2026-03-28')).toBe(3 * HOUR);
    expect(day('2026-03-29')).toBe(2 * HOUR);
    expect(day('2026-10-25')).toBe(4 * HOUR);
  });

  it('opens a window whose start was skipped at the jump, a repeated one at its first occurrence', () => {
    const late = businessCalendar({
      zone: 'Europe/Paris',
      week: workingWeek([], ['02:30-05:00']),
    });
    // 29 March: 02:30 never shows; the window opens at the jump (03:00 CEST = 01:00Z) and closes
    // at 05:00 CEST = 03:00Z: 2 h.
    expect(nextWorkingInstant(late, p.at('2026-03-29 00:00')).toISOString()).toBe(
      '2026-03-29T01:00:00.000Z',
    );
    expect(businessMsBetween(late, p.at('2026-03-29 00:00'), p.at('2026-03-29 12:00'))).toBe(
      2 * HOUR,
    );
    // 25 October: 02:30 shows twice; the window opens at the first (02:30 CEST = 00:30Z) and
    // closes at 05:00 CET = 04:00Z: 3.5 h.
    expect(nextWorkingInstant(late, new Date('2026-10-24T23:00:00Z')).toISOString()).toBe(
      '2026-10-25T00:30:00.000Z',
    );
    expect(
      businessMsBetween(late, new Date('2026-10-24T23:00:00Z'), new Date('2026-10-25T12:00:00Z')),
    ).toBe(3.5 * HOUR);
  });
});

describe('Asia/Tehran before and after DST was abolished', () => {
  const tehranNoc = businessCalendar({ zone: 'Asia/Tehran', week: ALWAYS_OPEN });
  const t = wallClock('Asia/Tehran');

  it('had a 23 h day on 1 Farvardin 1401 (midnight skipped) and a 24 h one in 1402', () => {
    // 2022-03-22 00:00 +03:30 jumped to 01:00 +04:30. The day 22 March 2022 starts at the jump.
    const from2022 = new Date('2022-03-21T20:30:00Z'); // the jump: 00:00 +03:30
    expect(nextWorkingInstant(tehranNoc, from2022).toISOString()).toBe('2022-03-21T20:30:00.000Z');
    expect(businessMsBetween(tehranNoc, from2022, new Date('2022-03-22T19:30:00Z'))).toBe(
      23 * HOUR,
    );
    // Tehran abolished DST from 2023: 2023-03-22 is a plain 24 h day at +03:30.
    expect(businessMsBetween(tehranNoc, t.at('2023-03-22 00:00'), t.at('2023-03-23 00:00'))).toBe(
      24 * HOUR,
    );
  });
});
