import { Router } from '@koa/router';
import { z } from 'zod';
import type { Ticket } from '../helpdesk/ticket.model.js';
import { filterQuery, toFilter } from '../helpdesk/ticket.schemas.js';
import type { TicketService } from '../helpdesk/ticket.service.js';
import { defineRoute } from '../http/define.js';
import { notFound } from '../http/errors.js';
import { fileContent } from '../http/schemas.js';
import type { AppState } from '../http/request-state.js';
import type { PortalService } from '../portal/portal.service.js';
import type { DashboardService } from './dashboard.service.js';
import { EXPORT_TYPES, documentXlsx } from './report-export.js';
import { documentPdf } from './report-pdf.js';
import { REPORT_LANGUAGES } from './report-text.js';
import { queueDocument, ticketDocument } from './ticket-document.js';
import type { BrandReader } from '../identity/branding/branding.service.js';

const isZone = (tz: string) => tz === 'UTC' || Intl.supportedValuesOf('timeZone').includes(tz);
const reader = {
  lang: z.enum(REPORT_LANGUAGES).default('en'),
  zone: z.string().refine(isZone, 'an IANA time zone such as Asia/Tehran').default('UTC'),
};
const readerQuery = z.strictObject(reader);
const queueQuery = filterQuery.extend(reader);
const ticketId = z.object({ id: z.string() });
/** The queue's Excel and PDF hold at most this many tickets (the CSV up to 50,000). */
const QUEUE_MAX = 2000;

const pdfFile = {
  200: { description: 'The PDF', contentType: EXPORT_TYPES.pdf, schema: fileContent },
};

const uuidParam = (value: string | undefined) => {
  if (!z.uuid().safeParse(value).success)
    throw notFound('BW_ERR_TICKET_NOT_FOUND', `ticket ${value} does not exist`);
  return value!;
};

const facts = (
  t: Ticket,
  names: { branch: string | null; assignee: string | null },
): Parameters<typeof ticketDocument>[0] => ({
  number: t.number,
  subject: t.subject,
  state: t.state,
  priority: t.priority,
  category: t.category,
  branch: names.branch,
  requesterName: t.requesterName,
  assignee: names.assignee,
  openedAt: t.openedAt,
  resolvedAt: t.resolvedAt,
});

/**
 * A ticket with its conversation as PDF (the desk's, with internal notes marked; the portal's,
 * public messages only) and the queue as Excel and PDF beside its CSV (docs/reports.md
 * "Exports").
 */
export function ticketExportRoutes(
  tickets: TicketService,
  portal: PortalService,
  dashboards: DashboardService,
  brands: BrandReader,
): Router<AppState> {
  const router = new Router<AppState>();
  const tenantName = async (id: string) => (await dashboards.tenantName(id)) ?? null;

  defineRoute(
    router,
    {
      method: 'get',
      path: '/api/v1/tickets/:id/conversation.pdf',
      summary: 'A ticket with its whole conversation, internal notes marked, as PDF',
      tags: ['tickets'],
      params: ticketId,
      query: readerQuery,
      responses: pdfFile,
    },
    async (ctx, read) => {
      const q = read.query();
      const detail = await tickets.get(uuidParam(ctx.params.id), ctx.state.user.tenantId);
      const doc = ticketDocument(
        facts(detail.ticket, await tickets.namesOf(detail.ticket)),
        detail.events,
        q.lang,
        { tenantName: await tenantName(detail.ticket.tenantId), zone: q.zone, now: new Date() },
      );
      ctx.type = EXPORT_TYPES.pdf;
      ctx.attachment(`ticket-${detail.ticket.number}.pdf`);
      ctx.body = await documentPdf({
        ...doc,
        brand: await brands.documentBrand(detail.ticket.tenantId),
      });
    },
  );

  defineRoute(
    router,
    {
      method: 'get',
      path: '/api/v1/portal/tickets/:id/conversation.pdf',
      summary: "A requester's ticket with its public conversation as PDF (no internal notes)",
      tags: ['portal'],
      params: ticketId,
      query: readerQuery,
      responses: pdfFile,
    },
    async (ctx, read) => {
      const q = read.query();
      const reach = portal.reachOf(ctx.state.user, ctx.state.access);
      const detail = await portal.get(uuidParam(ctx.params.id), reach);
      const names = await tickets.namesOf(detail.ticket);
      const doc = ticketDocument(
        // The requester sees who works on it by name, as on the portal's page.
        facts(detail.ticket, { ...names, branch: detail.branchName }),
        detail.events,
        q.lang,
        { tenantName: await tenantName(detail.ticket.tenantId), zone: q.zone, now: new Date() },
      );
      ctx.type = EXPORT_TYPES.pdf;
      ctx.attachment(`ticket-${detail.ticket.number}.pdf`);
      ctx.body = await documentPdf({
        ...doc,
        brand: await brands.documentBrand(detail.ticket.tenantId),
      });
    },
  );

  for (const format of ['xlsx', 'pdf'] as const) {
    defineRoute(
      router,
      {
        method: 'get',
        path: `/api/v1/reports/queue.${format}`,
        summary: `The filtered queue as ${format === 'xlsx' ? 'Excel' : 'PDF'} (at most ${QUEUE_MAX} tickets)`,
        tags: ['reports'],
        query: queueQuery,
        responses: {
          200: { description: 'The file', contentType: EXPORT_TYPES[format], schema: fileContent },
        },
      },
      async (ctx, read) => {
        const { lang, zone, ...q } = read.query();
        const rows = await tickets.exportRows(ctx.state.user, toFilter(q), 0, QUEUE_MAX + 1);
        const doc = queueDocument(rows.slice(0, QUEUE_MAX), lang, {
          zone,
          now: new Date(),
          truncated: rows.length > QUEUE_MAX,
        });
        ctx.type = EXPORT_TYPES[format];
        ctx.attachment(`tickets.${format}`);
        ctx.body = format === 'pdf' ? await documentPdf(doc) : await documentXlsx(doc);
      },
    );
  }
  return router;
}
