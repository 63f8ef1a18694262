import type { Dashboard, ResponseTimes } from './dashboard.service.js';
import { reportText, type ReportLanguage } from './report-text.js';

/** A cell of an exported table: text, a number (kept a number in CSV and Excel), or empty. */
export type Cell = string | number | null;

export interface ReportTable {
  title: string;
  columns: string[];
  rows: Cell[][];
  /** Said instead of the rows when there are none. */
  empty?: string;
  /** The columns' shares of a PDF page's width (equal when left out). */
  widths?: number[];
}

/**
 * A report as every export writes it: title, facts (period, scope), tables. CSV, Excel and PDF
 * all render this one shape, so they show the same figures with the same words.
 */
export interface ReportDocument {
  lang: ReportLanguage;
  title: string;
  /** Above the title: who the document is from (the tenant's name). */
  from?: string;
  /** At the top: the tenant's product name, accent colour and logo (docs/branding.md). */
  brand?: { productName: string; accentColor: string; logo?: { content: Buffer; type: string } };
  facts: [string, string][];
  tables: ReportTable[];
  /** A ticket's messages, in order, after the facts (the PDF writes them as paragraphs). */
  messages?: DocumentMessage[];
}

export interface DocumentMessage {
  /** Who and when: "admin · 7 Dec 2026, 10:02". */
  heading: string;
  /** "Internal note", for messages the requester never sees. */
  mark?: string;
  body: string;
}

const LOCALES: Record<ReportLanguage, string> = {
  en: 'en-GB',
  fa: 'fa-IR-u-ca-persian',
  fr: 'fr-FR',
};

/** Dates and times in the reader's language, calendar (Jalali in Persian) and zone. */
export function dateFormatter(lang: ReportLanguage, zone: string) {
  const format = new Intl.DateTimeFormat(LOCALES[lang], {
    dateStyle: 'medium',
    timeStyle: 'short',
    timeZone: zone,
  });
  return (at: Date) => format.format(at);
}

const minutes = (ms: number | null) => (ms === null ? null : Math.round(ms / 6000) / 10);
const percent = (share: number | null) => (share === null ? null : Math.round(share * 10000) / 100);

export interface DocumentScope {
  tenantName: string | null;
  branchName: string | null;
  zone: string;
  now: Date;
}

/** The dashboard as a document in `lang`. */
export function dashboardDocument(
  d: Dashboard,
  lang: ReportLanguage,
  scope: DocumentScope,
): ReportDocument {
  const { t, name } = reportText(lang);
  const date = dateFormatter(lang, scope.zone);
  const count = (
    title: Parameters<typeof t>[0],
    rows: Dashboard['counts']['status'],
    label: (key: string | null, label: string | null) => string,
  ): ReportTable => ({
    title: t(title),
    columns: [t('col.name'), t('col.tickets')],
    rows: rows.map((r) => [label(r.key, r.label), r.tickets]),
    empty: t('none'),
  });
  const timesRow = (who: 'all' | 'alert' | 'person', r: ResponseTimes): Cell[] => [
    t(`opened.${who}`),
    r.tickets,
    r.acknowledged,
    minutes(r.mttaMs),
    r.resolved,
    minutes(r.mttrMs),
  ];
  return {
    lang,
    title: t('title.dashboard'),
    facts: [
      [t('period'), `${date(d.from)} – ${date(d.to)}`],
      [t('tenant'), scope.tenantName ?? t('allTenants')],
      [t('branch'), scope.branchName ?? t('allBranches')],
      [t('generated'), date(scope.now)],
    ],
    tables: [
      count('section.status', d.counts.status, (k) => name('ticketState', k ?? '')),
      count('section.priority', d.counts.priority, (k) => name('priority', k ?? '')),
      count('section.category', d.counts.category, (k) =>
        k === null ? t('none') : name('category', k),
      ),
      count('section.agent', d.counts.agent, (k, l) => (k === null ? t('unassigned') : (l ?? k))),
      count('section.team', d.counts.team, (k, l) => (k === null ? t('noTeam') : (l ?? k))),
      {
        title: t('section.times'),
        columns: [
          t('col.opened'),
          t('col.tickets'),
          t('col.acknowledged'),
          t('col.mtta'),
          t('col.resolved'),
          t('col.mttr'),
        ],
        rows: [
          timesRow('all', d.times.all),
          timesRow('alert', d.times.alert),
          timesRow('person', d.times.person),
        ],
      },
      {
        title: t('section.sla'),
        columns: [t('col.clock'), t('col.met'), t('col.breached'), t('col.compliance')],
        rows: (['firstResponse', 'resolution'] as const).map((k) => [
          t(`clock.${k}`),
          d.sla[k].met,
          d.sla[k].breached,
          percent(d.sla[k].compliance),
        ]),
      },
      {
        title: t('section.satisfaction'),
        columns: [t('col.ratings'), t('col.mean')],
        rows:
          d.satisfaction && d.satisfaction.ratings > 0
            ? [[d.satisfaction.ratings, Math.round((d.satisfaction.mean ?? 0) * 100) / 100]]
            : [],
        empty: t('noRatings'),
      },
      {
        title: t('section.availability'),
        columns: [
          t('branch'),
          t('col.availability'),
          t('col.target'),
          t('col.downtime'),
          t('col.targetMet'),
        ],
        rows: d.availability.map((a) =>
          a.checkId === null
            ? [a.branchName, t('noLink'), d.targetPercent, null, null]
            : [
                a.branchName,
                a.percent === null ? null : Math.round(a.percent * 1000) / 1000,
                d.targetPercent,
                minutes(a.downtimeMs),
                a.met ? t('yes') : t('no'),
              ],
        ),
        empty: t('none'),
      },
    ],
  };
}
