import { gregorianToJalali, jalaliToGregorian, parseJalaliDate } from '../jalali/jalali-date.js';
import { WHOLE_DAY, parseDayRanges, type TimeRange } from './time-range.js';
import { isoDate, parseIsoDate, type LocalDate } from './wall-clock.js';

/**
 * A day (or part of a day) off. Exactly one of the date fields:
 * - `date`: a Gregorian date, `2026-07-05`;
 * - `jalali`: a Jalali date, `1405-01-01` (→ 2026-03-21);
 * - `annual`: a Gregorian month and day every year, `05-01`;
 * - `jalaliAnnual`: a Jalali month and day every year, `01-01` (Nowruz).
 * `closed` lists the hours off (`13:00-17:00`) for a partial-day holiday; without it the whole
 * day is off.
 */
export type HolidaySpec = (
  | { readonly date: string }
  | { readonly jalali: string }
  | { readonly annual: string }
  | { readonly jalaliAnnual: string }
) & { readonly name?: string; readonly closed?: readonly string[] };

/** Holidays in a form that answers "which hours of this local date are off?" quickly. */
export interface HolidayTable {
  readonly byDate: ReadonlyMap<string, readonly TimeRange[]>;
  readonly annual: ReadonlyMap<string, readonly TimeRange[]>;
  readonly jalaliAnnual: ReadonlyMap<string, readonly TimeRange[]>;
}

const MONTH_DAY = /^(\d{2})-(\d{2})$/;

function monthDay(text: string, check: (month: number, day: number) => boolean): string {
  const m = MONTH_DAY.exec(text);
  if (!m || !check(Number(m[1]), Number(m[2]))) {
    throw new RangeError(`expected an annual holiday as MM-DD, got "${text}"`);
  }
  return text;
}

function add(map: Map<string, TimeRange[]>, key: string, closed: readonly TimeRange[]): void {
  // Two holidays on one date: the day is off for the union of their hours.
  const merged = [...(map.get(key) ?? []), ...closed].sort((a, b) => a.start - b.start);
  map.set(key, merged);
}

export function buildHolidayTable(specs: readonly HolidaySpec[]): HolidayTable {
  const byDate = new Map<string, TimeRange[]>();
  const annual = new Map<string, TimeRange[]>();
  const jalaliAnnual = new Map<string, TimeRange[]>();
  for (const spec of specs) {
    const label = spec.name ?? JSON.stringify(spec);
    const closed = spec.closed ? parseDayRanges(spec.closed, `holiday ${label}`) : WHOLE_DAY;
    if ('date' in spec) add(byDate, isoDate(parseIsoDate(spec.date)), closed);
    else if ('jalali' in spec) {
      add(byDate, isoDate(jalaliToGregorian(parseJalaliDate(spec.jalali))), closed);
    } else if ('annual' in spec) {
      add(
        annual,
        monthDay(spec.annual, (m, d) => m >= 1 && m <= 12 && d >= 1 && d <= 31),
        closed,
      );
    } else {
      const key = monthDay(spec.jalaliAnnual, (m, d) => m >= 1 && m <= 12 && d >= 1 && d <= 31);
      add(jalaliAnnual, key, closed);
    }
  }
  return { byDate, annual, jalaliAnnual };
}

/** The hours off on a local date (empty when it is no holiday), sorted, possibly overlapping. */
export function closedHoursOn(table: HolidayTable, date: LocalDate): readonly TimeRange[] {
  const pad = (n: number): string => String(n).padStart(2, '0');
  const closed = [
    ...(table.byDate.get(isoDate(date)) ?? []),
    ...(table.annual.get(`${pad(date.month)}-${pad(date.day)}`) ?? []),
  ];
  if (table.jalaliAnnual.size > 0) {
    const j = gregorianToJalali(date);
    closed.push(...(table.jalaliAnnual.get(`${pad(j.month)}-${pad(j.day)}`) ?? []));
  }
  return closed.sort((a, b) => a.start - b.start);
}

/**
 * Nowruz, 1–4 Farvardin of a Jalali year: the four days Iranian offices close for the new year.
 * (12 and 13 Farvardin are public holidays too; list them separately if the tenant closes.)
 */
export function nowruzHolidays(jalaliYear: number): HolidaySpec[] {
  const y = String(jalaliYear).padStart(4, '0');
  return [1, 2, 3, 4].map((day) => ({ jalali: `${y}-01-0${day}`, name: `Nowruz ${day}` }));
}
