import type { I18n } from '../i18n';

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/**
 * "12 s ago", "3 min ago", … for a timestamp relative to `now` (ms since the epoch).
 * A time slightly in the future (hub and browser clocks differ) reads as "just now".
 */
export function formatRelative(at: string | null, now: number, { t }: I18n): string {
  if (at === null) return t('time.unknown');
  const then = Date.parse(at);
  if (Number.isNaN(then)) return t('time.unknown');

  const elapsed = now - then;
  if (elapsed < SECOND) return t('time.justNow');
  if (elapsed < MINUTE) return t('time.secondsAgo', { n: Math.floor(elapsed / SECOND) });
  if (elapsed < HOUR) return t('time.minutesAgo', { n: Math.floor(elapsed / MINUTE) });
  if (elapsed < DAY) return t('time.hoursAgo', { n: Math.floor(elapsed / HOUR) });
  return t('time.daysAgo', { n: Math.floor(elapsed / DAY) });
}

/** The full local date and time, for tooltips next to a relative time. */
export function formatAbsolute(at: string | null, locale: string): string | undefined {
  if (at === null) return undefined;
  const then = new Date(at);
  if (Number.isNaN(then.getTime())) return undefined;
  return new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'medium' }).format(then);
}
