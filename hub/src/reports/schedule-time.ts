import * as rruleModule from 'rrule';

// rrule ships CommonJS beside its ES build; Node's loader and the bundler name its export apart.
const { RRule } = (
  'RRule' in rruleModule && rruleModule.RRule
    ? rruleModule
    : (rruleModule as unknown as { default: typeof rruleModule }).default
) as typeof rruleModule;

export const SCHEDULE_FREQUENCIES = ['daily', 'weekly', 'monthly'] as const;
export type ScheduleFrequency = (typeof SCHEDULE_FREQUENCIES)[number];
export const SCHEDULE_CALENDARS = ['gregorian', 'persian'] as const;
export type ScheduleCalendar = (typeof SCHEDULE_CALENDARS)[number];

/** When a scheduled report goes: a recurrence at a wall-clock hour in a zone and a calendar. */
export interface Recurrence {
  frequency: ScheduleFrequency;
  /** 0–23, on the tenant's wall clock. */
  hour: number;
  /** Weekly: 0 Sunday … 6 Saturday. */
  weekday: number;
  timeZone: string;
  /** Monthly: the first day of the Gregorian or the Persian (Jalali) month. */
  calendar: ScheduleCalendar;
}

/** The instant a wall clock in `timeZone` shows y-m-d h:00 (the hour after a DST gap). */
export function wallInstant(timeZone: string, y: number, m: number, d: number, h: number): Date {
  const wanted = Date.UTC(y, m - 1, d, h);
  let t = wanted;
  for (let i = 0; i < 3; i++) t += wanted - shown(new Date(t), timeZone);
  return new Date(t);
}

function shown(at: Date, timeZone: string): number {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
    hour: 'numeric',
    minute: 'numeric',
  }).formatToParts(at);
  const part = (type: string) => Number(parts.find((x) => x.type === type)!.value);
  return Date.UTC(part('year'), part('month') - 1, part('day'), part('hour'), part('minute'));
}

/** The RFC 5545 rule of a Gregorian recurrence, on floating (wall-clock) times. */
export function rruleOf(r: Recurrence): string {
  const days = [RRule.SU, RRule.MO, RRule.TU, RRule.WE, RRule.TH, RRule.FR, RRule.SA];
  return new RRule({
    freq:
      r.frequency === 'daily'
        ? RRule.DAILY
        : r.frequency === 'weekly'
          ? RRule.WEEKLY
          : RRule.MONTHLY,
    byhour: [r.hour],
    byminute: [0],
    bysecond: [0],
    ...(r.frequency === 'weekly' ? { byweekday: [days[r.weekday]!] } : {}),
    ...(r.frequency === 'monthly' ? { bymonthday: [1] } : {}),
  }).toString();
}

/**
 * The first moment after `after` the recurrence comes due. Gregorian rules are RRULEs run on the
 * zone's wall clock (rrule works on floating times; each one is then placed in the zone); the
 * first of a Persian month is not an RRULE (RFC 5545 knows the Gregorian calendar only) and is
 * found by walking the days in that calendar.
 */
export function nextRun(r: Recurrence, after: Date): Date {
  const wall = new Date(shown(after, r.timeZone));
  if (r.frequency === 'monthly' && r.calendar === 'persian') {
    for (let d = 0; d < 70; d++) {
      const day = new Date(
        Date.UTC(wall.getUTCFullYear(), wall.getUTCMonth(), wall.getUTCDate() + d),
      );
      if (persianDay(day) !== 1) continue;
      const at = wallInstant(
        r.timeZone,
        day.getUTCFullYear(),
        day.getUTCMonth() + 1,
        day.getUTCDate(),
        r.hour,
      );
      if (at > after) return at;
    }
    throw new Error('no first of a Persian month within 70 days');
  }
  const rule = RRule.fromString(rruleOf(r));
  const start = new Date(
    Date.UTC(wall.getUTCFullYear(), wall.getUTCMonth(), wall.getUTCDate() - 1),
  );
  const options = { ...rule.origOptions, dtstart: start };
  for (const f of new RRule(options).between(start, new Date(start.getTime() + 70 * 86_400_000))) {
    const at = wallInstant(
      r.timeZone,
      f.getUTCFullYear(),
      f.getUTCMonth() + 1,
      f.getUTCDate(),
      f.getUTCHours(),
    );
    if (at > after) return at;
  }
  throw new Error('the recurrence never comes due');
}

/** The occurrence before `at` (the start of the period a report sent at `at` covers). */
export function previousRun(r: Recurrence, at: Date): Date {
  const span = r.frequency === 'daily' ? 1 : r.frequency === 'weekly' ? 7 : 32;
  let last = nextRun(r, new Date(at.getTime() - (span + 1) * 86_400_000));
  while (last < at) {
    const next = nextRun(r, last);
    if (next >= at) break;
    last = next;
  }
  return last;
}

/** A day's number in the Persian month (the date's UTC fields read as a civil date). */
function persianDay(day: Date): number {
  const n = new Intl.DateTimeFormat('en-US-u-ca-persian-nu-latn', {
    timeZone: 'UTC',
    day: 'numeric',
  }).format(day);
  return Number(n);
}
