import type { BusinessCalendar } from './business-calendar.js';
import { closedHoursOn } from './holidays.js';
import { subtractRanges } from './time-range.js';
import { isoDate, isoWeekday, wallTimeToInstant, type LocalDate } from './wall-clock.js';

/** A stretch of working time between two instants (epoch ms), [from, to). */
export interface WorkingInterval {
  readonly from: number;
  readonly to: number;
}

// Clocks ask for the same days many times (deadline, warning, each escalation); a calendar
// never changes once built, so its days are remembered for as long as the calendar lives.
const cache = new WeakMap<BusinessCalendar, Map<string, readonly WorkingInterval[]>>();

/** The working intervals of one local date, in order, holidays removed. */
export function workingIntervalsOn(
  calendar: BusinessCalendar,
  date: LocalDate,
): readonly WorkingInterval[] {
  let days = cache.get(calendar);
  if (!days) cache.set(calendar, (days = new Map()));
  const key = isoDate(date);
  const known = days.get(key);
  if (known) return known;
  const hours = subtractRanges(
    calendar.hoursByWeekday[isoWeekday(date)] ?? [],
    closedHoursOn(calendar.holidays, date),
  );
  const intervals = hours
    .map((r) => ({
      from: wallTimeToInstant(calendar.zone, date, r.start),
      to: wallTimeToInstant(calendar.zone, date, r.end),
    }))
    // A window that lies wholly inside a spring-forward gap has no instants at all.
    .filter((i) => i.to > i.from);
  if (days.size > 4096) days.clear();
  days.set(key, intervals);
  return intervals;
}
