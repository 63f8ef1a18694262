/**
 * The recurrence of a maintenance window (docs/alerts.md "Maintenance windows"): an RFC 5545
 * RRULE restricted to what a person can say in words — every N days, every N weeks on some
 * weekdays, every N months on some days of the month. The first and last day and the hours are
 * fields of their own, so the rule holds no DTSTART, UNTIL, COUNT or BY-hour parts.
 */
export const RECURRENCE_WEEKDAYS = ['MO', 'TU', 'WE', 'TH', 'FR', 'SA', 'SU'] as const;
export type RecurrenceWeekday = (typeof RECURRENCE_WEEKDAYS)[number];
export const RECURRENCE_FREQUENCIES = ['DAILY', 'WEEKLY', 'MONTHLY'] as const;
export type RecurrenceFrequency = (typeof RECURRENCE_FREQUENCIES)[number];

export interface RecurrenceRule {
  frequency: RecurrenceFrequency;
  interval: number;
  /** WEEKLY: the weekdays, Monday first. */
  weekdays: RecurrenceWeekday[];
  /** MONTHLY: days of the month, 1–31 (a month without that day is skipped, as RFC 5545 says). */
  monthDays: number[];
}

/** Parses a rule such as `FREQ=WEEKLY;BYDAY=FR`; throws a message naming the bad part. */
export function parseRecurrenceRule(text: string): RecurrenceRule {
  const parts = new Map<string, string>();
  for (const part of text.replace(/^RRULE:/i, '').split(';')) {
    const [key, value, extra] = part.split('=');
    if (!key || value === undefined || extra !== undefined || value === '') {
      throw new RangeError(`"${part}" is not KEY=VALUE`);
    }
    const name = key.toUpperCase();
    if (parts.has(name)) throw new RangeError(`${name} is given twice`);
    parts.set(name, value.toUpperCase());
  }
  const frequency = parts.get('FREQ') as RecurrenceFrequency | undefined;
  if (!frequency || !RECURRENCE_FREQUENCIES.includes(frequency)) {
    throw new RangeError('FREQ must be DAILY, WEEKLY or MONTHLY');
  }
  for (const key of parts.keys()) {
    if (!['FREQ', 'INTERVAL', 'BYDAY', 'BYMONTHDAY'].includes(key)) {
      throw new RangeError(`${key} is not supported (the window's days and hours are fields)`);
    }
  }
  const intervalText = parts.get('INTERVAL') ?? '1';
  const interval = Number(intervalText);
  if (!/^\d+$/.test(intervalText) || interval < 1 || interval > 99) {
    throw new RangeError('INTERVAL must be a whole number from 1 to 99');
  }
  const byDay = parts.get('BYDAY');
  const byMonthDay = parts.get('BYMONTHDAY');
  if (byDay !== undefined && frequency !== 'WEEKLY') {
    throw new RangeError('BYDAY goes with FREQ=WEEKLY');
  }
  if (byMonthDay !== undefined && frequency !== 'MONTHLY') {
    throw new RangeError('BYMONTHDAY goes with FREQ=MONTHLY');
  }
  const weekdays = byDay === undefined ? [] : byDay.split(',');
  for (const day of weekdays) {
    if (!RECURRENCE_WEEKDAYS.includes(day as RecurrenceWeekday)) {
      throw new RangeError(`BYDAY: "${day}" is not one of ${RECURRENCE_WEEKDAYS.join(', ')}`);
    }
  }
  const monthDays = byMonthDay === undefined ? [] : byMonthDay.split(',').map(Number);
  if (monthDays.some((d) => !Number.isInteger(d) || d < 1 || d > 31)) {
    throw new RangeError('BYMONTHDAY: days of the month are 1 to 31');
  }
  if (frequency === 'WEEKLY' && weekdays.length === 0) {
    throw new RangeError('FREQ=WEEKLY needs BYDAY (the weekdays)');
  }
  if (frequency === 'MONTHLY' && monthDays.length === 0) {
    throw new RangeError('FREQ=MONTHLY needs BYMONTHDAY (the days of the month)');
  }
  const order = (d: RecurrenceWeekday) => RECURRENCE_WEEKDAYS.indexOf(d);
  return {
    frequency,
    interval,
    weekdays: [...new Set(weekdays as RecurrenceWeekday[])].sort((a, b) => order(a) - order(b)),
    monthDays: [...new Set(monthDays)].sort((a, b) => a - b),
  };
}

/** The rule's text, as `parseRecurrenceRule` reads it back. */
export function recurrenceRuleText(rule: RecurrenceRule): string {
  return [
    `FREQ=${rule.frequency}`,
    ...(rule.interval > 1 ? [`INTERVAL=${rule.interval}`] : []),
    ...(rule.frequency === 'WEEKLY' ? [`BYDAY=${rule.weekdays.join(',')}`] : []),
    ...(rule.frequency === 'MONTHLY' ? [`BYMONTHDAY=${rule.monthDays.join(',')}`] : []),
  ].join(';');
}

/** A time of day `HH:MM` (00:00–23:59) in minutes after midnight; throws on anything else. */
export function minutesOfDay(text: string): number {
  const m = /^([01]\d|2[0-3]):([0-5]\d)$/.exec(text);
  if (!m) throw new RangeError(`"${text}" is not a time of day HH:MM`);
  return Number(m[1]) * 60 + Number(m[2]);
}
