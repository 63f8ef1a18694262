import * as rruleModule from 'rrule';
import { minutesOfDay, parseRecurrenceRule, type RecurrenceRule } from '@branchwatch/api';
import {
  addDays,
  isValidZone,
  localDateAt,
  parseIsoDate,
  wallTimeToInstant,
  type LocalDate,
} from '@branchwatch/sla';

// rrule ships CommonJS beside its ES build; Node's loader and the bundler name its export apart.
const { RRule } = (
  'RRule' in rruleModule && rruleModule.RRule
    ? rruleModule
    : (rruleModule as unknown as { default: typeof rruleModule }).default
) as typeof rruleModule;

/**
 * A recurring maintenance window (docs/alerts.md "Maintenance windows"): on each day the RFC 5545
 * rule gives from `from` on (until `until`, when set), it opens at `start` on the zone's wall
 * clock and closes at `end` — on the next day when `end` is not after `start`
 * ("22:00"–"02:00"). Hours are wall-clock hours, so across a DST change an occurrence is an hour
 * shorter or longer, as the people of the branch read their clocks.
 */
export interface Recurrence {
  rule: string;
  /** The first day, YYYY-MM-DD on the zone's calendar. */
  from: string;
  /** The last day an occurrence starts on, or null: for ever. */
  until: string | null;
  start: string;
  end: string;
}

/** Checks every part of a recurrence; throws a message that names the bad field. */
export function validateRecurrence(r: Recurrence, zone: string | null): void {
  const named = (field: string, work: () => unknown) => {
    try {
      work();
    } catch (err) {
      throw new RangeError(`recurrence.${field}: ${(err as Error).message}`, { cause: err });
    }
  };
  named('rule', () => parseRecurrenceRule(r.rule));
  named('from', () => parseIsoDate(r.from));
  if (r.until !== null) named('until', () => parseIsoDate(r.until!));
  if (r.until !== null && r.until < r.from) {
    throw new RangeError('recurrence.until: the last day is before the first');
  }
  named('start', () => minutesOfDay(r.start));
  named('end', () => minutesOfDay(r.end));
  if (r.start === r.end) throw new RangeError('recurrence.end: a window cannot end as it starts');
  if (zone !== null && !isValidZone(zone)) throw new RangeError(`zone: unknown zone "${zone}"`);
}

const atMidnight = (d: LocalDate) => new Date(Date.UTC(d.year, d.month - 1, d.day));
const toLocal = (d: Date): LocalDate => ({
  year: d.getUTCFullYear(),
  month: d.getUTCMonth() + 1,
  day: d.getUTCDate(),
});

function rruleOf(r: Recurrence, parsed: RecurrenceRule) {
  const days = {
    MO: RRule.MO,
    TU: RRule.TU,
    WE: RRule.WE,
    TH: RRule.TH,
    FR: RRule.FR,
    SA: RRule.SA,
    SU: RRule.SU,
  };
  // rrule runs on floating days: each is a date whose UTC fields are the zone's calendar day.
  return new RRule({
    freq: { DAILY: RRule.DAILY, WEEKLY: RRule.WEEKLY, MONTHLY: RRule.MONTHLY }[parsed.frequency],
    interval: parsed.interval,
    dtstart: atMidnight(parseIsoDate(r.from)),
    until: r.until === null ? null : atMidnight(parseIsoDate(r.until)),
    ...(parsed.weekdays.length ? { byweekday: parsed.weekdays.map((d) => days[d]) } : {}),
    ...(parsed.monthDays.length ? { bymonthday: parsed.monthDays } : {}),
    wkst: RRule.MO,
  });
}

/** The instants an occurrence starting on `day` opens and closes in `zone`. */
function occurrence(r: Recurrence, zone: string, day: LocalDate): { from: number; to: number } {
  const start = minutesOfDay(r.start);
  const end = minutesOfDay(r.end);
  return {
    from: wallTimeToInstant(zone, day, start),
    to: wallTimeToInstant(zone, end > start ? day : addDays(day, 1), end),
  };
}

/** Whether an occurrence is open at `at` (it includes its start, not its end). */
export function occurs(r: Recurrence, zone: string, at: Date): boolean {
  const today = localDateAt(zone, at.getTime());
  // An occurrence lasts less than a day: only one that started today or yesterday can be open.
  const days = rruleOf(r, parseRecurrenceRule(r.rule)).between(
    atMidnight(addDays(today, -1)),
    atMidnight(today),
    true,
  );
  const t = at.getTime();
  return days.some((d) => {
    const o = occurrence(r, zone, toLocal(d));
    return o.from <= t && t < o.to;
  });
}
