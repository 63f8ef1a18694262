// Measurements as people read them: sub-millisecond latencies keep two significant digits
// (a LAN hop of 0.037 ms is not "0 ms"), sub-10 ms ones a decimal (0.4 ms and 0.9 ms are
// different links), larger ones none (212.4 ms adds nothing over 212 ms).

export function formatMilliseconds(ms: number, locale: string): string {
  const options: Intl.NumberFormatOptions =
    ms > 0 && ms < 1 ? { maximumSignificantDigits: 2 } : { maximumFractionDigits: ms < 10 ? 1 : 0 };
  return new Intl.NumberFormat(locale, options).format(ms);
}

export function formatPercent(percent: number, locale: string): string {
  return new Intl.NumberFormat(locale, { maximumFractionDigits: 1 }).format(percent);
}

/**
 * A ticket's number as a person reads it: in the language's digits (Persian ۱۲۳), never grouped
 * (ticket 1234 is "#1234", not "#1,234").
 */
export function formatTicketNumber(n: number | string, locale: string): string {
  const value = typeof n === 'number' ? n : Number(n);
  if (!Number.isSafeInteger(value)) return String(n);
  return new Intl.NumberFormat(locale, { useGrouping: false }).format(value);
}

/** Working hours "08:00-16:00" as the reader writes them: their digits, an en dash between. */
export function formatHoursRange(range: string, locale: string): string {
  const digits = new Intl.NumberFormat(locale, { useGrouping: false });
  return range
    .split('-')
    .map((time) => time.replace(/\d/g, (d) => digits.format(Number(d))))
    .join('–');
}

/**
 * A file's size in the reader's language: "812 B" or, with `long`, in words ("2.1 kilobytes",
 * "۲٫۱ کیلوبایت", "2,1 kilooctets").
 */
export function formatBytes(
  bytes: number,
  locale: string,
  display: 'short' | 'long' = 'short',
): string {
  const [value, unit] =
    bytes < 1024
      ? [bytes, 'byte']
      : bytes < 1024 * 1024
        ? [bytes / 1024, 'kilobyte']
        : [bytes / (1024 * 1024), 'megabyte'];
  return new Intl.NumberFormat(locale, {
    style: 'unit',
    unit,
    unitDisplay: display,
    maximumFractionDigits: 1,
  }).format(value);
}
