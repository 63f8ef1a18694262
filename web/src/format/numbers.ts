// Measurements as people read them: sub-10 ms latencies keep a decimal (0.4 ms and 0.9 ms are
// different links), larger ones do not (212.4 ms adds nothing over 212 ms).

export function formatMilliseconds(ms: number, locale: string): string {
  return new Intl.NumberFormat(locale, { maximumFractionDigits: ms < 10 ? 1 : 0 }).format(ms);
}

export function formatPercent(percent: number, locale: string): string {
  return new Intl.NumberFormat(locale, { maximumFractionDigits: 1 }).format(percent);
}
