import { plainText, ticketTextLines, type TicketText } from '@branchwatch/api';
import type { TicketService } from '../helpdesk/ticket.service.js';
import type { TicketEvent } from '../helpdesk/ticket.model.js';
import { dateFormatter, type DocumentMessage, type ReportDocument } from './report-document.js';
import { reportText, type ReportLanguage } from './report-text.js';

/** What a ticket export says about the ticket itself. */
export interface TicketFacts {
  number: number;
  subject: string;
  state: string;
  priority: string;
  category: string | null;
  branch: string | null;
  requesterName: string | null;
  assignee: string | null;
  openedAt: Date;
  resolvedAt: Date | null;
}

/** The events that carry words: the opening, replies, notes, recovery and resolution notes. */
const SPOKEN = new Set(['opened', 'reply', 'note', 'recovered', 'resolved']);

/**
 * A ticket with its conversation as a document (the PDF of a ticket): the ticket's facts, then
 * each message with who wrote it and when, in the reader's language, calendar and zone. The
 * caller decides which events the reader may see: the portal passes the public ones only.
 */
export function ticketDocument(
  ticket: TicketFacts,
  events: readonly (TicketEvent & { author: string | null })[],
  lang: ReportLanguage,
  scope: { tenantName: string | null; zone: string; now: Date },
): ReportDocument {
  const { t, name } = reportText(lang);
  const date = dateFormatter(lang, scope.zone);
  const number = new Intl.NumberFormat(lang === 'fa' ? 'fa-IR' : lang, { useGrouping: false });
  const messages: DocumentMessage[] = events
    .filter((e) => SPOKEN.has(e.kind) && (e.body || hubText(e)))
    .map((e) => ({
      heading: `${e.author ?? t('ticket.system')} · ${date(e.at)}`,
      ...(e.visibility === 'internal' ? { mark: t('ticket.internal') } : {}),
      body: hubText(e)
        ? plainText(ticketTextLines(hubText(e)!, { language: lang, timeZone: scope.zone }), lang)
        : (e.body ?? ''),
    }));
  const facts: [string, string][] = [
    [t('ticket.state'), name('ticketState', ticket.state)],
    [t('ticket.priority'), name('priority', ticket.priority)],
    [t('ticket.category'), ticket.category ? name('category', ticket.category) : t('none')],
    [t('branch'), ticket.branch ?? t('none')],
    [t('ticket.requester'), ticket.requesterName ?? t('none')],
    [t('ticket.assignee'), ticket.assignee ?? t('unassigned')],
    [t('ticket.opened'), date(ticket.openedAt)],
  ];
  if (ticket.resolvedAt) facts.push([t('ticket.resolved'), date(ticket.resolvedAt)]);
  facts.push([t('generated'), date(scope.now)]);
  return {
    lang,
    ...(scope.tenantName ? { from: scope.tenantName } : {}),
    title: `${t('title.ticket')} #${number.format(ticket.number)}: ${ticket.subject}`,
    facts,
    tables: [],
    messages,
  };
}

/** The facts an alert's note was written from: rendered again in the reader's language. */
function hubText(e: TicketEvent): TicketText | null {
  const data = e.data as { text?: TicketText } | null | undefined;
  return data?.text ?? null;
}

type QueueRow = Awaited<ReturnType<TicketService['exportRows']>>[number];

/** The queue as a document: one table, one row a ticket, as its CSV has them. */
export function queueDocument(
  rows: readonly QueueRow[],
  lang: ReportLanguage,
  scope: { zone: string; now: Date; truncated: boolean },
): ReportDocument {
  const { t, name } = reportText(lang);
  const date = dateFormatter(lang, scope.zone);
  const locale = lang === 'fa' ? 'fa-IR' : lang;
  const count = new Intl.NumberFormat(locale).format(rows.length);
  // A ticket's number names it (#1003): digits of the reader's script, never grouped.
  const ticketNo = new Intl.NumberFormat(locale, { useGrouping: false });
  return {
    lang,
    title: t('title.queue'),
    facts: [
      [t('col.tickets'), count + (scope.truncated ? ` (${t('queue.first')})` : '')],
      [t('generated'), date(scope.now)],
    ],
    tables: [
      {
        title: t('title.queue'),
        columns: [
          t('queue.number'),
          t('queue.subject'),
          t('ticket.state'),
          t('ticket.priority'),
          t('branch'),
          t('ticket.assignee'),
          t('ticket.opened'),
        ],
        rows: rows.map((r) => [
          ticketNo.format(r.number),
          r.subject,
          name('ticketState', r.state),
          name('priority', r.priority),
          r.branch,
          r.assignee ?? t('unassigned'),
          date(r.openedAt),
        ]),
        empty: t('none'),
        widths: [0.6, 3, 1.1, 0.9, 1.4, 1.1, 1.7],
      },
    ],
  };
}
