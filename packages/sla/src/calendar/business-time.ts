import type { BusinessCalendar } from './business-calendar.js';
import { addDays, localDateAt, type LocalDate } from './wall-clock.js';
import { workingIntervalsOn, type WorkingInterval } from './working-day.js';

// A calendar whose holidays close ten years in a row would otherwise loop for ever.
const MAX_DAYS_WITHOUT_WORK = 3660;

/** Working intervals from the local day of `from` onwards, in order, for as long as asked. */
function* intervalsFrom(calendar: BusinessCalendar, from: number): Generator<WorkingInterval> {
  let date: LocalDate = localDateAt(calendar.zone, from);
  let idleDays = 0;
  for (;;) {
    const intervals = workingIntervalsOn(calendar, date);
    idleDays = intervals.length > 0 ? 0 : idleDays + 1;
    if (idleDays > MAX_DAYS_WITHOUT_WORK) {
      throw new RangeError(
        `business calendar has no working time for ten years after ${date.year}`,
      );
    }
    for (const interval of intervals) if (interval.to > from) yield interval;
    date = addDays(date, 1);
  }
}

/** Working time between two instants (epoch ms); negative when `to` is before `from`. */
export function businessMsBetweenEpoch(
  calendar: BusinessCalendar,
  from: number,
  to: number,
): number {
  if (to < from) return -businessMsBetweenEpoch(calendar, to, from);
  let total = 0;
  for (const interval of intervalsFrom(calendar, from)) {
    if (interval.from >= to) break;
    total += Math.min(interval.to, to) - Math.max(interval.from, from);
  }
  return total;
}

/**
 * The first instant (epoch ms) by which `ms` of working time have passed since `from`. A
 * deadline that uses up a window exactly falls on the window's end (Thursday 12:00), not on
 * the next opening.
 */
export function addBusinessMsEpoch(calendar: BusinessCalendar, from: number, ms: number): number {
  if (!(ms >= 0)) throw new RangeError(`business time to add must be >= 0, got ${ms}`);
  if (ms === 0) return from;
  let remaining = ms;
  for (const interval of intervalsFrom(calendar, from)) {
    const start = Math.max(interval.from, from);
    if (remaining <= interval.to - start) return start + remaining;
    remaining -= interval.to - start;
  }
  throw new Error('unreachable: intervalsFrom never ends');
}

/** `at` itself when it is working time, else the next opening (epoch ms). */
export function nextWorkingInstantEpoch(calendar: BusinessCalendar, at: number): number {
  for (const interval of intervalsFrom(calendar, at)) return Math.max(interval.from, at);
  throw new Error('unreachable: intervalsFrom never ends');
}

/** Working time between two instants, in ms; negative when `to` is before `from`. */
export function businessMsBetween(calendar: BusinessCalendar, from: Date, to: Date): number {
  return businessMsBetweenEpoch(calendar, from.getTime(), to.getTime());
}

/** The instant by which `ms` of working time have passed since `from`: a deadline. */
export function addBusinessMs(calendar: BusinessCalendar, from: Date, ms: number): Date {
  return new Date(addBusinessMsEpoch(calendar, from.getTime(), ms));
}

/** Whether `at` falls inside a working window (windows include their start, not their end). */
export function isWorkingTime(calendar: BusinessCalendar, at: Date): boolean {
  return nextWorkingInstantEpoch(calendar, at.getTime()) === at.getTime();
}

/** `at` when it is working time, else the instant the calendar next opens. */
export function nextWorkingInstant(calendar: BusinessCalendar, at: Date): Date {
  return new Date(nextWorkingInstantEpoch(calendar, at.getTime()));
}
