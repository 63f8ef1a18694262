import type { ApiAnswer } from '../api/types';
import type { I18n } from '../i18n';
import type { MessageKey } from '../i18n/en';

export type ScheduledReport = ApiAnswer<'/api/v1/reports/schedules', 'get'>['items'][number];

/** "07:00" on a 24-hour clock, in the reader's digits. */
export function hourText(hour: number, i18n: I18n): string {
  return new Intl.DateTimeFormat(i18n.locale, {
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
    timeZone: 'UTC',
  }).format(new Date(Date.UTC(2026, 0, 4, hour)));
}

/** A weekday's name (0 Sunday … 6 Saturday) in the reader's language. */
export function weekdayName(day: number, i18n: I18n): string {
  // 4 January 2026 was a Sunday.
  return new Intl.DateTimeFormat(i18n.locale, { weekday: 'long', timeZone: 'UTC' }).format(
    new Date(Date.UTC(2026, 0, 4 + day, 12)),
  );
}

/** "Every Saturday at 07:00 (Asia/Tehran)": the recurrence in words. */
export function recurrenceText(
  s: Pick<ScheduledReport, 'frequency' | 'hour' | 'weekday' | 'calendar' | 'timeZone'>,
  i18n: I18n,
): string {
  const { t } = i18n;
  const time = hourText(s.hour, i18n);
  const zone = s.timeZone;
  if (s.frequency === 'daily') return t('schedules.every.daily', { time, zone });
  if (s.frequency === 'weekly')
    return t('schedules.every.weekly', { weekday: weekdayName(s.weekday, i18n), time, zone });
  return t(`schedules.every.monthly.${s.calendar}` as MessageKey, { time, zone });
}

/**
 * A moment's parts in the reader's calendar, on the schedule's clock (the zone its recurrence
 * names), for `schedules.next` and `schedules.last`: weekday, date, time and zone. Put together
 * by the sentence, not by Intl: ICU writes a Persian date with its weekday as "۱۴۰۵ آذر ۲۱,
 * شنبه", with a Latin comma.
 */
export function momentParts(iso: string, timeZone: string, i18n: I18n) {
  const at = new Date(iso);
  const format = (options: Intl.DateTimeFormatOptions) =>
    new Intl.DateTimeFormat(i18n.locale, { timeZone, ...options }).format(at);
  return {
    weekday: format({ weekday: 'long' }),
    date: format({ dateStyle: 'medium' }),
    time: format({ hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }),
    zone: timeZone,
  };
}

/** How the latest mails went, one sentence a line: delivered, waiting, and each failure. */
export function deliveryLines(s: ScheduledReport, i18n: I18n): string[] {
  const { t } = i18n;
  const d = s.lastDelivery;
  if (d === null) return [];
  const total = d.sent + d.waiting + d.failed.length;
  const lines = [t('schedules.delivery.sent', { n: d.sent, total })];
  if (d.waiting > 0) lines.push(t('schedules.delivery.waiting', { n: d.waiting }));
  for (const f of d.failed) {
    const reason = t(`schedules.problem.${f.reason}` as MessageKey, { error: f.error });
    lines.push(
      t(f.final ? 'schedules.delivery.failed' : 'schedules.delivery.retrying', {
        address: f.address,
        reason,
      }),
    );
  }
  return lines;
}

/** A mail address as the hub accepts one (zod's email), checked before sending the form. */
export const isMailAddress = (text: string) =>
  /^(?!\.)(?!.*\.\.)([\w'+\-.]*)[\w+-]@([a-z0-9][a-z0-9-]*\.)+[a-z]{2,}$/i.test(text);
