import { buildHolidayTable, type HolidaySpec, type HolidayTable } from './holidays.js';
import { parseDayRanges, type TimeRange } from './time-range.js';
import { isValidZone } from './wall-clock.js';
import { WEEKDAYS, type WorkingWeek } from './working-week.js';

/** A business calendar as an admin writes it. */
export interface BusinessCalendarSpec {
  /** IANA time zone whose wall clock the hours are read on, e.g. `Asia/Tehran`. */
  readonly zone: string;
  readonly week: WorkingWeek;
  readonly holidays?: readonly HolidaySpec[];
}

/**
 * When people work: a time zone, working hours per weekday and holidays. Built once by
 * `businessCalendar` (which validates), then only read.
 */
export interface BusinessCalendar {
  readonly zone: string;
  /** Working hours by ISO weekday: index 1 = Monday … 7 = Sunday (index 0 unused). */
  readonly hoursByWeekday: readonly (readonly TimeRange[])[];
  readonly holidays: HolidayTable;
}

/** Validates a spec and builds the calendar; throws a RangeError naming the first problem. */
export function businessCalendar(spec: BusinessCalendarSpec): BusinessCalendar {
  if (!isValidZone(spec.zone)) throw new RangeError(`unknown IANA time zone "${spec.zone}"`);
  const hoursByWeekday: (readonly TimeRange[])[] = [[]];
  for (const day of WEEKDAYS) hoursByWeekday.push(parseDayRanges(spec.week[day] ?? [], day));
  if (hoursByWeekday.every((hours) => hours.length === 0)) {
    throw new RangeError('a business calendar needs working hours on at least one weekday');
  }
  return Object.freeze({
    zone: spec.zone,
    hoursByWeekday: Object.freeze(hoursByWeekday),
    holidays: buildHolidayTable(spec.holidays ?? []),
  });
}
