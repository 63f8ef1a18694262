import { DateTime } from 'luxon';
import { gregorianToJalali, jalaliToGregorian, parseJalaliDate } from './jalali-date.js';
import { isoDate } from '../calendar/wall-clock.js';

export const JALALI_MONTHS = [
  'فروردین',
  'اردیبهشت',
  'خرداد',
  'تیر',
  'مرداد',
  'شهریور',
  'مهر',
  'آبان',
  'آذر',
  'دی',
  'بهمن',
  'اسفند',
] as const;

export interface JalaliFormatOptions {
  /** `persian` writes ۰–۹ (U+06F0–U+06F9) as Persian readers expect; default `latin`. */
  readonly digits?: 'latin' | 'persian';
  /** `numeric`: 1405/01/01 (default); `name`: 1 فروردین 1405. */
  readonly month?: 'numeric' | 'name';
  /** Append the wall-clock time, HH:mm. */
  readonly time?: boolean;
}

export function toPersianDigits(text: string): string {
  return text.replace(/[0-9]/g, (d) => String.fromCharCode(0x06f0 + Number(d)));
}

/** An instant as a Jalali date on the wall clock of `zone`, e.g. `1405/01/01` or `۱۴۰۵/۰۱/۰۱`. */
export function formatJalali(at: Date, zone: string, options: JalaliFormatOptions = {}): string {
  const local = DateTime.fromJSDate(at, { zone });
  if (!local.isValid) throw new RangeError(`cannot place ${at.toISOString()} in zone "${zone}"`);
  const j = gregorianToJalali({ year: local.year, month: local.month, day: local.day });
  const pad = (n: number): string => String(n).padStart(2, '0');
  let text =
    options.month === 'name'
      ? `${j.day} ${JALALI_MONTHS[j.month - 1]} ${j.year}`
      : `${j.year}/${pad(j.month)}/${pad(j.day)}`;
  if (options.time) text += ` ${local.toFormat('HH:mm')}`;
  return options.digits === 'persian' ? toPersianDigits(text) : text;
}

/** A Jalali date `YYYY-MM-DD` as the Gregorian date `YYYY-MM-DD` of the same day. */
export function jalaliToIsoDate(jalali: string): string {
  return isoDate(jalaliToGregorian(parseJalaliDate(jalali)));
}
