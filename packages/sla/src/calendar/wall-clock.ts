import { IANAZone } from 'luxon';

/** A local calendar date, as the people of a time zone name it. */
export interface LocalDate {
  readonly year: number;
  readonly month: number;
  readonly day: number;
}

const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;

export function isValidZone(zone: string): boolean {
  return IANAZone.isValidZone(zone);
}

function zoneOf(zone: string): IANAZone {
  const tz = IANAZone.create(zone);
  if (!tz.isValid) throw new RangeError(`unknown IANA time zone "${zone}"`);
  return tz;
}

const HOUR_MS = 3_600_000;
// luxon asks Intl for every offset (~20 µs). Offsets change a few times a year, so an hour
// whose start and end share an offset is remembered; an hour with a change is always asked.
const steadyHours = new Map<string, Map<number, number>>();

/** Offset of the zone at an instant, in ms (UTC + offset = wall clock). */
function offsetMs(tz: IANAZone, at: number): number {
  let hours = steadyHours.get(tz.name);
  if (!hours) steadyHours.set(tz.name, (hours = new Map()));
  const hour = Math.floor(at / HOUR_MS);
  const known = hours.get(hour);
  if (known !== undefined) return known;
  const start = tz.offset(hour * HOUR_MS);
  if (start !== tz.offset((hour + 1) * HOUR_MS - 1)) return tz.offset(at) * MINUTE_MS;
  if (hours.size > 100_000) hours.clear();
  hours.set(hour, start * MINUTE_MS);
  return start * MINUTE_MS;
}

/**
 * The instant at which the wall clock of `zone` first shows `minute` minutes after the start of
 * `date` (minute may be 1440: the next midnight).
 *
 * Across a DST change a wall time can be missing or shown twice. A working window "from 02:30"
 * opens at the first instant the clock reads 02:30 or later: for a time skipped by a
 * spring-forward that is the moment of the jump, for a repeated time it is its first
 * occurrence. (luxon alone would shift a skipped time forward by the gap and pick the second
 * occurrence of a repeated one.)
 */
export function wallTimeToInstant(zone: string, date: LocalDate, minute: number): number {
  const tz = zoneOf(zone);
  const wall = Date.UTC(date.year, date.month - 1, date.day) + minute * MINUTE_MS;
  const wallAt = (t: number): number => t + offsetMs(tz, t);
  // Offsets in force around this wall time: zones change offset at most once in 12 hours.
  const guess = wall - offsetMs(tz, wall);
  const offsets = new Set(
    [guess - DAY_MS / 2, guess, guess + DAY_MS / 2].map((t) => offsetMs(tz, t)),
  );
  const exact = [...offsets].map((o) => wall - o).filter((t) => wallAt(t) === wall);
  if (exact.length > 0) return Math.min(...exact);
  // Skipped by a spring-forward: find the jump, the first instant whose wall clock is past `wall`.
  let low = wall - Math.max(...offsets); // wall clock still before `wall`
  let high = wall - Math.min(...offsets); // wall clock already past `wall`
  while (high - low > 1) {
    const mid = Math.floor((low + high) / 2);
    if (wallAt(mid) >= wall) high = mid;
    else low = mid;
  }
  return high;
}

/** The local date in `zone` at an instant. */
export function localDateAt(zone: string, at: number): LocalDate {
  const tz = zoneOf(zone);
  const wall = new Date(at + offsetMs(tz, at));
  return { year: wall.getUTCFullYear(), month: wall.getUTCMonth() + 1, day: wall.getUTCDate() };
}

/** ISO weekday of a local date: 1 = Monday … 7 = Sunday (luxon's numbering). */
export function isoWeekday(date: LocalDate): number {
  const day = new Date(Date.UTC(date.year, date.month - 1, date.day)).getUTCDay();
  return day === 0 ? 7 : day;
}

export function addDays(date: LocalDate, days: number): LocalDate {
  const d = new Date(Date.UTC(date.year, date.month - 1, date.day + days));
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() };
}

export function isoDate(date: LocalDate): string {
  const pad = (n: number, width = 2): string => String(n).padStart(width, '0');
  return `${pad(date.year, 4)}-${pad(date.month)}-${pad(date.day)}`;
}

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Parses `YYYY-MM-DD` as a Gregorian date; throws on anything else, including 2026-02-30. */
export function parseIsoDate(text: string): LocalDate {
  const m = ISO_DATE.exec(text);
  if (!m) throw new RangeError(`expected a date as YYYY-MM-DD, got "${text}"`);
  const date = { year: Number(m[1]), month: Number(m[2]), day: Number(m[3]) };
  if (isoDate(addDays(date, 0)) !== text) throw new RangeError(`no such date "${text}"`);
  return date;
}
