import { isValidJalaaliDate, toGregorian, toJalaali } from 'jalaali-js';
import type { LocalDate } from '../calendar/wall-clock.js';

/** A date in the Jalali (Solar Hijri, Persian) calendar; month 1 is Farvardin. */
export interface JalaliDate {
  readonly year: number;
  readonly month: number;
  readonly day: number;
}

const JALALI = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Parses `YYYY-MM-DD` in the Jalali calendar, e.g. `1405-01-01` (Nowruz 1405). */
export function parseJalaliDate(text: string): JalaliDate {
  const m = JALALI.exec(text);
  if (!m) throw new RangeError(`expected a Jalali date as YYYY-MM-DD, got "${text}"`);
  const date = { year: Number(m[1]), month: Number(m[2]), day: Number(m[3]) };
  if (!isValidJalaaliDate(date.year, date.month, date.day)) {
    throw new RangeError(`no such Jalali date "${text}"`);
  }
  return date;
}

export function jalaliToGregorian(date: JalaliDate): LocalDate {
  const g = toGregorian(date.year, date.month, date.day);
  return { year: g.gy, month: g.gm, day: g.gd };
}

export function gregorianToJalali(date: LocalDate): JalaliDate {
  const j = toJalaali(date.year, date.month, date.day);
  return { year: j.jy, month: j.jm, day: j.jd };
}
