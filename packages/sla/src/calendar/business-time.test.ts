import { describe, expect, it } from 'vitest';
import { HOUR, MINUTE, wallClock } from '../testing/wall-clock.js';
import { businessCalendar } from './business-calendar.js';
import {
  addBusinessMs,
  businessMsBetween,
  isWorkingTime,
  nextWorkingInstant,
} from './business-time.js';
import { nowruzHolidays } from './holidays.js';
import { algeriaWorkingWeek, iranWorkingWeek } from './working-week.js';

// Tehran office: Sat–Wed 08:00–12:00 and 13:00–17:00 (8 h), Thu 08:00–12:00 (4 h), Fri closed.
// Nowruz 1405 = 1–4 Farvardin = Sat 2026-03-21 … Tue 2026-03-24.
const tehran = businessCalendar({
  zone: 'Asia/Tehran',
  week: iranWorkingWeek(),
  holidays: [...nowruzHolidays(1405), { date: '2026-04-08', closed: ['13:00-17:00'] }],
});
const t = wallClock('Asia/Tehran');

// Algiers office: Sun–Thu 08:00–12:00 and 13:00–16:30 (7.5 h), Fri and Sat closed;
// Independence Day 5 July every year.
const algiers = businessCalendar({
  zone: 'Africa/Algiers',
  week: algeriaWorkingWeek(),
  holidays: [{ annual: '07-05', name: 'Independence Day' }],
});
const a = wallClock('Africa/Algiers');

describe('Tehran office calendar', () => {
  it('carries a deadline over the Friday weekend', () => {
    // Thu 11:30 + 4 h: Thu 11:30–12:00 = 0.5 h (Thu closes at noon), Fri weekend,
    // Sat 08:00 + 3.5 h = Sat 11:30.
    const deadline = addBusinessMs(tehran, t.at('2026-04-09 11:30'), 4 * HOUR);
    expect(t.show(deadline)).toBe('Sat 2026-04-11 11:30');
    expect(businessMsBetween(tehran, t.at('2026-04-09 11:30'), deadline)).toBe(4 * HOUR);
  });

  it('puts a deadline that uses up a window on the window end, not the next opening', () => {
    // Thu 11:30 + 30 min = Thu 12:00 exactly.
    expect(t.show(addBusinessMs(tehran, t.at('2026-04-09 11:30'), 30 * MINUTE))).toBe(
      'Thu 2026-04-09 12:00',
    );
  });

  it('skips the lunch break', () => {
    // Sat 11:00 + 2 h: 11:00–12:00 = 1 h, lunch, 13:00 + 1 h = 14:00.
    expect(t.show(addBusinessMs(tehran, t.at('2026-04-11 11:00'), 2 * HOUR))).toBe(
      'Sat 2026-04-11 14:00',
    );
    // Sat 11:00 → 14:00 is 3 h on the wall but 2 h of work.
    expect(businessMsBetween(tehran, t.at('2026-04-11 11:00'), t.at('2026-04-11 14:00'))).toBe(
      2 * HOUR,
    );
  });

  it('skips the Nowruz holidays', () => {
    // Thu 2026-03-19 11:00 + 4 h: Thu 11:00–12:00 = 1 h, Fri 20 weekend, Sat 21–Tue 24 Nowruz,
    // Wed 25 08:00 + 3 h = 11:00.
    const deadline = addBusinessMs(tehran, t.at('2026-03-19 11:00'), 4 * HOUR);
    expect(t.show(deadline)).toBe('Wed 2026-03-25 11:00');
    // A whole week on the wall: Thu 19 11:00 → Thu 26 11:00 = 1 h (Thu 19) + 8 h (Wed 25)
    // + 3 h (Thu 26 08:00–11:00) = 12 h.
    expect(businessMsBetween(tehran, t.at('2026-03-19 11:00'), t.at('2026-03-26 11:00'))).toBe(
      12 * HOUR,
    );
  });

  it('closes only the listed hours of a partial-day holiday', () => {
    // Wed 2026-04-08 closes at 12:00 (afternoon off). Wed 11:00 + 2 h: 11:00–12:00 = 1 h,
    // Thu 08:00 + 1 h = 09:00.
    expect(t.show(addBusinessMs(tehran, t.at('2026-04-08 11:00'), 2 * HOUR))).toBe(
      'Thu 2026-04-09 09:00',
    );
    expect(isWorkingTime(tehran, t.at('2026-04-08 10:00'))).toBe(true);
    expect(isWorkingTime(tehran, t.at('2026-04-08 14:00'))).toBe(false);
  });

  it('answers whether an instant is working time (window start in, window end out)', () => {
    expect(isWorkingTime(tehran, t.at('2026-04-11 08:00'))).toBe(true);
    expect(isWorkingTime(tehran, t.at('2026-04-09 11:59'))).toBe(true);
    expect(isWorkingTime(tehran, t.at('2026-04-09 12:00'))).toBe(false);
    expect(isWorkingTime(tehran, t.at('2026-04-11 12:30'))).toBe(false);
    expect(isWorkingTime(tehran, t.at('2026-04-10 10:00'))).toBe(false); // Friday
    expect(isWorkingTime(tehran, t.at('2026-03-21 10:00'))).toBe(false); // Nowruz
  });

  it('finds the next working instant', () => {
    expect(t.show(nextWorkingInstant(tehran, t.at('2026-04-11 09:00')))).toBe(
      'Sat 2026-04-11 09:00',
    );
    expect(t.show(nextWorkingInstant(tehran, t.at('2026-04-11 12:15')))).toBe(
      'Sat 2026-04-11 13:00',
    );
    expect(t.show(nextWorkingInstant(tehran, t.at('2026-04-09 12:00')))).toBe(
      'Sat 2026-04-11 08:00',
    );
    // Thursday afternoon before Nowruz: the next opening is after the holidays.
    expect(t.show(nextWorkingInstant(tehran, t.at('2026-03-19 12:00')))).toBe(
      'Wed 2026-03-25 08:00',
    );
  });

  it('counts backwards as negative and adds nothing for zero', () => {
    expect(businessMsBetween(tehran, t.at('2026-04-11 11:30'), t.at('2026-04-09 11:30'))).toBe(
      -4 * HOUR,
    );
    // Zero business time from a closed instant is that instant, not the next opening.
    expect(t.show(addBusinessMs(tehran, t.at('2026-04-10 10:00'), 0))).toBe('Fri 2026-04-10 10:00');
    expect(() => addBusinessMs(tehran, t.at('2026-04-10 10:00'), -1)).toThrow(RangeError);
  });

  it('counts nothing over a closed stretch', () => {
    // Thu 12:00 → Sat 08:00: Thursday afternoon and Friday.
    expect(businessMsBetween(tehran, t.at('2026-04-09 12:00'), t.at('2026-04-11 08:00'))).toBe(0);
  });
});

describe('Algiers office calendar', () => {
  it('carries a deadline over the Friday–Saturday weekend', () => {
    // Thu 2026-04-09 15:30 + 2 h: Thu 15:30–16:30 = 1 h, Fri and Sat weekend,
    // Sun 08:00 + 1 h = 09:00.
    expect(a.show(addBusinessMs(algiers, a.at('2026-04-09 15:30'), 2 * HOUR))).toBe(
      'Sun 2026-04-12 09:00',
    );
  });

  it('skips an annual holiday that follows the weekend', () => {
    // Thu 2026-07-02 16:00 + 1 h: Thu 16:00–16:30 = 0.5 h, Fri 3 and Sat 4 weekend,
    // Sun 5 Independence Day, Mon 6 08:00 + 0.5 h = 08:30.
    expect(a.show(addBusinessMs(algiers, a.at('2026-07-02 16:00'), HOUR))).toBe(
      'Mon 2026-07-06 08:30',
    );
  });

  it('counts a working week as 5 × 7.5 h', () => {
    // Sun 08:00 → next Sun 08:00 = Sun–Thu, 7.5 h each = 37.5 h.
    expect(businessMsBetween(algiers, a.at('2026-04-12 08:00'), a.at('2026-04-19 08:00'))).toBe(
      37.5 * HOUR,
    );
  });
});
