/** The periods the dashboard offers, ending now. */
export const REPORT_RANGES = ['7d', '30d', '90d', '365d'] as const;
export type ReportRange = (typeof REPORT_RANGES)[number];

export interface ReportQuery {
  range: ReportRange;
  branch: string | null;
  tenant: string | null;
}

const DAY = 86_400_000;
const days: Record<ReportRange, number> = { '7d': 7, '30d': 30, '90d': 90, '365d': 365 };

/** The dashboard's filters from the address bar (`?range=90d&branch=…`); unknown values fall back. */
export function reportFromSearch(search: URLSearchParams): ReportQuery {
  const range = search.get('range');
  return {
    range: (REPORT_RANGES as readonly string[]).includes(range ?? '')
      ? (range as ReportRange)
      : '30d',
    branch: search.get('branch') || null,
    tenant: search.get('tenant') || null,
  };
}

export function reportToSearch(q: ReportQuery): Record<string, string | null> {
  return { range: q.range === '30d' ? null : q.range, branch: q.branch, tenant: q.tenant };
}

/**
 * The period of `range` ending at `now`, whole minutes (so the address of an export stays the
 * same while a person looks at the page).
 */
export function reportPeriod(range: ReportRange, now: Date): { from: Date; to: Date } {
  const to = new Date(Math.ceil(now.getTime() / 60_000) * 60_000);
  return { from: new Date(to.getTime() - days[range] * DAY), to };
}

/** The hub's query for the dashboard and its exports. */
export function dashboardParams(q: ReportQuery, period: { from: Date; to: Date }) {
  const params = new URLSearchParams({
    from: period.from.toISOString(),
    to: period.to.toISOString(),
  });
  if (q.branch) params.set('branch', q.branch);
  if (q.tenant) params.set('tenant', q.tenant);
  return params;
}

/** Where a file of the dashboard downloads, in the reader's language and time zone. */
export function exportHref(
  format: 'csv' | 'xlsx' | 'pdf',
  params: URLSearchParams,
  lang: string,
  zone: string,
): string {
  const query = new URLSearchParams(params);
  query.set('lang', lang);
  query.set('zone', zone);
  return `/api/v1/reports/dashboard.${format}?${query}`;
}

/** A ticket with its conversation as PDF (`base`: the desk's or the portal's ticket address). */
export function conversationPdf(base: string, lang: string): string {
  const zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  return `${base}/conversation.pdf?${new URLSearchParams({ lang, zone }).toString()}`;
}
