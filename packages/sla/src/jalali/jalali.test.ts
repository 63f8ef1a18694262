import { describe, expect, it } from 'vitest';
import { gregorianToJalali, jalaliToGregorian, parseJalaliDate } from './jalali-date.js';
import { formatJalali, jalaliToIsoDate, toPersianDigits } from './jalali-format.js';

describe('Jalali dates', () => {
  it('converts Nowruz and the last day of the year', () => {
    expect(jalaliToIsoDate('1405-01-01')).toBe('2026-03-21');
    expect(jalaliToIsoDate('1404-12-29')).toBe('2026-03-20');
    expect(jalaliToIsoDate('1403-12-30')).toBe('2025-03-20'); // 1403 is a leap year
    expect(gregorianToJalali({ year: 2026, month: 3, day: 25 })).toEqual({
      year: 1405,
      month: 1,
      day: 5,
    });
    expect(jalaliToGregorian(parseJalaliDate('1405-01-22'))).toEqual({
      year: 2026,
      month: 4,
      day: 11,
    });
  });

  it('rejects dates that do not exist', () => {
    expect(() => parseJalaliDate('1404-12-30')).toThrow('no such Jalali date "1404-12-30"');
    expect(() => parseJalaliDate('1405/01/01')).toThrow('expected a Jalali date as YYYY-MM-DD');
  });

  it('formats an instant on the wall clock of the zone', () => {
    // 2026-03-20T21:00Z is Friday 20 March in UTC but 00:30 on Saturday 1 Farvardin in Tehran.
    const newYear = new Date('2026-03-20T21:00:00Z');
    expect(formatJalali(newYear, 'Asia/Tehran')).toBe('1405/01/01');
    expect(formatJalali(newYear, 'UTC')).toBe('1404/12/29');
    expect(formatJalali(newYear, 'Asia/Tehran', { time: true })).toBe('1405/01/01 00:30');
    expect(formatJalali(newYear, 'Asia/Tehran', { digits: 'persian' })).toBe('۱۴۰۵/۰۱/۰۱');
    expect(formatJalali(newYear, 'Asia/Tehran', { digits: 'persian', month: 'name' })).toBe(
      '۱ فروردین ۱۴۰۵',
    );
    expect(toPersianDigits('10:45')).toBe('۱۰:۴۵');
  });

  it('agrees with ICU’s Persian calendar on every day of 2025–2027', () => {
    const icu = new Intl.DateTimeFormat('en-US-u-ca-persian-nu-latn', {
      timeZone: 'Asia/Tehran',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
    });
    const mismatches: string[] = [];
    for (let t = Date.UTC(2025, 0, 1, 12); t < Date.UTC(2028, 0, 1); t += 86_400_000) {
      const parts = Object.fromEntries(icu.formatToParts(t).map((p) => [p.type, p.value]));
      const expected = `${parts.year?.split(' ')[0]}/${parts.month}/${parts.day}`;
      const ours = formatJalali(new Date(t), 'Asia/Tehran');
      if (ours !== expected) mismatches.push(`${new Date(t).toISOString()}: ${ours} ≠ ${expected}`);
    }
    expect(mismatches).toEqual([]);
  });
});
