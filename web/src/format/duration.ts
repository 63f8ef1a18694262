import type { I18n } from '../i18n';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** A span of time as people say it: "45 s", "12 min", "3 h 5 min", "2 d 4 h". */
export function formatDuration(ms: number, { t }: Pick<I18n, 't'>): string {
  const span = Math.max(0, ms);
  if (span < MINUTE) return t('duration.seconds', { n: Math.floor(span / 1000) });
  if (span < HOUR) return t('duration.minutes', { n: Math.floor(span / MINUTE) });
  if (span < DAY) {
    return t('duration.hours', {
      n: Math.floor(span / HOUR),
      m: Math.floor((span % HOUR) / MINUTE),
    });
  }
  return t('duration.days', { n: Math.floor(span / DAY), h: Math.floor((span % DAY) / HOUR) });
}
