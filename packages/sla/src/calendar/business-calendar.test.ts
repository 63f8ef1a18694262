import { describe, expect, it } from 'vitest';
import { HOUR, wallClock } from '../testing/wall-clock.js';
import { businessCalendar } from './business-calendar.js';
import { businessMsBetween, isWorkingTime } from './business-time.js';
import { nowruzHolidays } from './holidays.js';
import { WEEKENDS, iranWorkingWeek, workingWeek } from './working-week.js';

describe('businessCalendar', () => {
  it('rejects what an admin can get wrong, naming it', () => {
    const week = iranWorkingWeek();
    expect(() => businessCalendar({ zone: 'Asia/Tehrn', week })).toThrow(
      'unknown IANA time zone "Asia/Tehrn"',
    );
    expect(() =>
      businessCalendar({ zone: 'Asia/Tehran', week: { sat: ['08:00-12:00', '11:00-17:00'] } }),
    ).toThrow('sat: hours overlap');
    expect(() => businessCalendar({ zone: 'Asia/Tehran', week: { sat: ['8:00-12:00'] } })).toThrow(
      'expected hours as HH:mm-HH:mm, got "8:00-12:00"',
    );
    expect(() => businessCalendar({ zone: 'Asia/Tehran', week: { sat: ['12:00-08:00'] } })).toThrow(
      'hours "12:00-08:00" end before they start',
    );
    expect(() => businessCalendar({ zone: 'Asia/Tehran', week: {} })).toThrow(
      'a business calendar needs working hours on at least one weekday',
    );
    expect(() =>
      businessCalendar({ zone: 'Asia/Tehran', week, holidays: [{ date: '2026-02-30' }] }),
    ).toThrow('no such date "2026-02-30"');
    expect(() =>
      businessCalendar({ zone: 'Asia/Tehran', week, holidays: [{ jalali: '1405-13-01' }] }),
    ).toThrow('no such Jalali date "1405-13-01"');
    expect(() =>
      businessCalendar({ zone: 'Asia/Tehran', week, holidays: [{ annual: '13-01' }] }),
    ).toThrow('expected an annual holiday as MM-DD, got "13-01"');
  });

  it('builds weeks from the weekend conventions', () => {
    expect(iranWorkingWeek()).toEqual({
      mon: ['08:00-12:00', '13:00-17:00'],
      tue: ['08:00-12:00', '13:00-17:00'],
      wed: ['08:00-12:00', '13:00-17:00'],
      thu: ['08:00-12:00'],
      fri: [],
      sat: ['08:00-12:00', '13:00-17:00'],
      sun: ['08:00-12:00', '13:00-17:00'],
    });
    const algeria = workingWeek(WEEKENDS.algeria, ['08:00-16:00']);
    expect(algeria.fri).toEqual([]);
    expect(algeria.sat).toEqual([]);
    expect(algeria.sun).toEqual(['08:00-16:00']);
    const europe = workingWeek(WEEKENDS.saturdaySunday, ['09:00-17:00']);
    expect(Object.entries(europe).filter(([, hours]) => hours?.length === 0)).toEqual([
      ['sat', []],
      ['sun', []],
    ]);
  });

  it('closes Nowruz every year with Jalali annual holidays', () => {
    const t = wallClock('Asia/Tehran');
    const calendar = businessCalendar({
      zone: 'Asia/Tehran',
      week: iranWorkingWeek(),
      holidays: ['01-01', '01-02', '01-03', '01-04'].map((d) => ({ jalaliAnnual: d })),
    });
    // 1 Farvardin 1405 = Sat 2026-03-21; 1 Farvardin 1406 = Sun 2027-03-21.
    expect(isWorkingTime(calendar, t.at('2026-03-21 09:00'))).toBe(false);
    expect(isWorkingTime(calendar, t.at('2027-03-21 09:00'))).toBe(false);
    expect(isWorkingTime(calendar, t.at('2027-03-25 09:00'))).toBe(true); // 5 Farvardin
  });

  it('lists Nowruz 1405 as 1–4 Farvardin', () => {
    expect(nowruzHolidays(1405).map((h) => ('jalali' in h ? h.jalali : null))).toEqual([
      '1405-01-01',
      '1405-01-02',
      '1405-01-03',
      '1405-01-04',
    ]);
  });

  it('takes the union of two holidays on one date', () => {
    const t = wallClock('Asia/Tehran');
    const calendar = businessCalendar({
      zone: 'Asia/Tehran',
      week: iranWorkingWeek(),
      holidays: [
        { date: '2026-04-11', closed: ['08:00-10:00'] },
        { jalali: '1405-01-22', closed: ['15:00-17:00'] }, // also Sat 2026-04-11
      ],
    });
    // Sat 2026-04-11: 10:00–12:00 and 13:00–15:00 remain = 4 h.
    expect(businessMsBetween(calendar, t.at('2026-04-11 00:00'), t.at('2026-04-12 00:00'))).toBe(
      4 * HOUR,
    );
  });
});
