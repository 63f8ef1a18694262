import { parseRecurrenceRule, type RecurrenceWeekday } from '@branchwatch/api';
import type { MaintenanceWindow } from '../api/adminApi';
import { formatHoursRange } from '../format/numbers';
import { formatDay, formatInZone, instantInZone, zoneName } from '../format/zone';
import type { I18n, MessageKey } from '../i18n';

// A maintenance window in words, on the clock it runs on: "Every Friday 22:00–02:00, Iran
// Time", its first and last days in the reader's calendar, and whether it is wholly past.

const WEEKDAY_INDEX: Record<RecurrenceWeekday, number> = {
  MO: 0,
  TU: 1,
  WE: 2,
  TH: 3,
  FR: 4,
  SA: 5,
  SU: 6,
};

/** A weekday's full name in the reader's language (4 January 2027 is a Monday). */
export function weekdayName(day: RecurrenceWeekday, locale: string): string {
  return new Intl.DateTimeFormat(locale, { weekday: 'long', timeZone: 'UTC' }).format(
    new Date(Date.UTC(2027, 0, 4 + WEEKDAY_INDEX[day])),
  );
}

/**
 * "22:00–02:00" in the reader's digits. In Persian the range reads right to left (the start
 * on the right), so it sits in a right-to-left isolate (U+2067 … U+2069): a first-strong
 * isolate around digits alone would lay it out left to right, the end first for the reader.
 */
export function hoursRange(start: string, end: string, locale: string): string {
  const range = formatHoursRange(`${start}-${end}`, locale);
  return locale.startsWith('fa') ? `\u2067${range}\u2069` : range;
}

const list = (items: string[], locale: string) =>
  new Intl.ListFormat(locale, { type: 'conjunction' }).format(items);

export interface WindowWords {
  /** When it runs, with its zone. */
  when: string;
  /** Its first and last days, for a recurring window. */
  days: string | null;
  /** No moment of it is still to come. */
  past: boolean;
}

/** `zone` is the clock the window runs on: its own, else its branch's. */
export function describeWindow(
  w: Pick<MaintenanceWindow, 'startsAt' | 'endsAt' | 'weekly' | 'recurrence'>,
  zone: string,
  { t, locale }: Pick<I18n, 't' | 'locale'>,
  now: number,
): WindowWords {
  const named = zoneName(zone, locale);
  if (w.recurrence) {
    const r = w.recurrence;
    const hours = hoursRange(r.start, r.end, locale);
    const days = r.until
      ? t('admin.maintenance.between', {
          from: formatDay(r.from, locale),
          until: formatDay(r.until, locale),
        })
      : t('admin.maintenance.since', { from: formatDay(r.from, locale) });
    // The last occurrence starts on `until` at the latest and closes on the next day when
    // its hours cross midnight.
    let past = false;
    if (r.until) {
      const endDay = new Date(`${r.until}T00:00:00Z`);
      if (r.end <= r.start) endDay.setUTCDate(endDay.getUTCDate() + 1);
      past = instantInZone(`${endDay.toISOString().slice(0, 10)}T${r.end}`, zone) <= now;
    }
    return {
      when: t('admin.maintenance.inZone', {
        when: ruleWords(r.rule, hours, t, locale),
        zone: named,
      }),
      days,
      past,
    };
  }
  if (w.weekly) {
    const ranges = Object.entries(w.weekly)
      .filter(([, r]) => r && r.length > 0)
      .map(
        ([day, r]) =>
          `${t(`weekday.${day}` as MessageKey)} ${r!.map((x) => hoursRange(...(x.split('-') as [string, string]), locale)).join(', ')}`,
      );
    return {
      when: t('admin.maintenance.inZone', { when: ranges.join('; '), zone: named }),
      days: null,
      past: false,
    };
  }
  const from = w.startsAt ? formatInZone(w.startsAt, zone, locale) : t('common.none');
  const to = w.endsAt ? formatInZone(w.endsAt, zone, locale) : t('common.none');
  return {
    when: t('admin.maintenance.inZone', { when: `${from} – ${to}`, zone: named }),
    days: null,
    past: w.endsAt !== null && Date.parse(w.endsAt) <= now,
  };
}

/** "Every Friday 22:00–02:00", "Every 2 weeks on Monday and Thursday …", "Every month on day 1 …". */
export function ruleWords(text: string, hours: string, t: I18n['t'], locale: string): string {
  const rule = parseRecurrenceRule(text);
  const n = rule.interval;
  switch (rule.frequency) {
    case 'DAILY':
      return n === 1
        ? t('admin.maintenance.every.day', { hours })
        : t('admin.maintenance.every.days', { n, hours });
    case 'WEEKLY': {
      const days = list(
        rule.weekdays.map((d) => weekdayName(d, locale)),
        locale,
      );
      return n === 1
        ? t('admin.maintenance.every.week', { days, hours })
        : t('admin.maintenance.every.weeks', { n, days, hours });
    }
    case 'MONTHLY': {
      const numbers = new Intl.NumberFormat(locale);
      const days = list(
        rule.monthDays.map((d) => numbers.format(d)),
        locale,
      );
      return n === 1
        ? t('admin.maintenance.every.month', { days, hours })
        : t('admin.maintenance.every.months', { n, days, hours });
    }
  }
}
