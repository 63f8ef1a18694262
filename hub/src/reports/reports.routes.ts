import { Router } from '@koa/router';
import { z } from 'zod';
import { apiError } from '../http/errors.js';
import { REPORT_GROUPINGS } from './report.repository.js';
import type { ReportService } from './report.service.js';
import { defineRoute } from '../http/define.js';
import { csvText, fileContent } from '../http/schemas.js';
import { dashboardSchema, ticketReport } from './report.schemas.js';
import type { AppState } from '../http/request-state.js';
import type { DashboardQuery, DashboardService } from './dashboard.service.js';
import { REPORT_LANGUAGES } from './report-text.js';
import type { ReportDocument } from './report-document.js';
import { documentPdf } from './report-pdf.js';
import { EXPORT_TYPES, documentCsv, documentXlsx, type ExportFormat } from './report-export.js';

const isZone = (tz: string) => tz === 'UTC' || Intl.supportedValuesOf('timeZone').includes(tz);

const dashboardQuery = z.strictObject({
  from: z.iso.datetime({ offset: true }),
  to: z.iso.datetime({ offset: true }),
  /** A platform admin's choice of tenant; a tenant's users always see their own. */
  tenant: z.uuid().optional(),
  branch: z.uuid().optional(),
  target: z.coerce.number().min(0).max(100).default(99.5),
});

const exportQuery = dashboardQuery.extend({
  lang: z.enum(REPORT_LANGUAGES).default('en'),
  zone: z.string().refine(isZone, 'an IANA time zone such as Asia/Tehran').default('UTC'),
});

/** The dashboard's filter as the caller may have it: their own tenant unless a platform admin. */
function dashboardFilter(
  q: z.infer<typeof dashboardQuery>,
  user: AppState['user'],
): DashboardQuery {
  const { from, to } = period({ ...q, groupBy: 'tenant' });
  return {
    from,
    to,
    tenantId: user.tenantId ?? q.tenant ?? null,
    branchId: q.branch ?? null,
    targetPercent: q.target,
  };
}

const reportQuery = z.strictObject({
  from: z.iso.datetime({ offset: true }),
  to: z.iso.datetime({ offset: true }),
  groupBy: z.enum(REPORT_GROUPINGS).default('tenant'),
});

const period = (q: z.infer<typeof reportQuery>) => {
  const from = new Date(q.from);
  const to = new Date(q.to);
  if (to <= from) {
    throw apiError(400, 'BW_ERR_VALIDATION', 'to: must be after from', { field: 'to' });
  }
  return { from, to, groupBy: q.groupBy };
};

/** MTTA, MTTR and SLA compliance over tickets opened in [from, to), as JSON or CSV. */
export function reportRoutes(
  reports: ReportService,
  dashboards: DashboardService,
): Router<AppState> {
  const router = new Router<AppState>({ prefix: '/api/v1/reports' });

  defineRoute(
    router,
    {
      method: 'get',
      path: '/tickets',
      summary: 'MTTA, MTTR and SLA compliance of the tickets opened in a period, per group',
      tags: ['reports'],
      query: reportQuery,
      responses: {
        200: { description: 'One row per group and a total; times in ms', schema: ticketReport },
      },
    },
    async (ctx, read) => {
      const q = period(read.query());
      ctx.body = await reports.tickets({ ...q, tenantId: ctx.state.user.tenantId });
    },
  );

  defineRoute(
    router,
    {
      method: 'get',
      path: '/tickets.csv',
      summary: 'The same report as CSV (times in seconds)',
      tags: ['reports'],
      query: reportQuery,
      responses: { 200: { description: 'RFC 4180 CSV', contentType: 'text/csv', schema: csvText } },
    },
    async (ctx, read) => {
      const q = period(read.query());
      ctx.type = 'text/csv; charset=utf-8';
      ctx.attachment(`tickets-by-${q.groupBy}.csv`);
      ctx.body = await reports.csv({ ...q, tenantId: ctx.state.user.tenantId });
    },
  );

  defineRoute(
    router,
    {
      method: 'get',
      path: '/dashboard',
      summary:
        'Tickets opened in a period by status, priority, category, agent and team; MTTA and MTTR in business time; SLA compliance; satisfaction; link availability',
      tags: ['reports'],
      query: dashboardQuery,
      responses: { 200: { description: 'The dashboard; times in ms', schema: dashboardSchema } },
    },
    async (ctx, read) => {
      const filter = dashboardFilter(read.query(), ctx.state.user);
      await dashboards.scope(filter);
      ctx.body = await dashboards.build(filter);
    },
  );

  const writers: Partial<Record<ExportFormat, (doc: ReportDocument) => Promise<string | Buffer>>> =
    {
      csv: async (doc) => documentCsv(doc),
      xlsx: documentXlsx,
      pdf: documentPdf,
    };
  for (const [format, write] of Object.entries(writers) as [
    ExportFormat,
    (doc: ReportDocument) => Promise<string | Buffer>,
  ][]) {
    defineRoute(
      router,
      {
        method: 'get',
        path: `/dashboard.${format}`,
        summary: `The dashboard as ${format.toUpperCase()}, in a language and a time zone`,
        tags: ['reports'],
        query: exportQuery,
        responses: {
          200: {
            description: 'The report file',
            contentType: EXPORT_TYPES[format],
            schema: fileContent,
          },
        },
      },
      async (ctx, read) => {
        const q = read.query();
        const doc = await dashboards.document(dashboardFilter(q, ctx.state.user), q.lang, q.zone);
        ctx.type = EXPORT_TYPES[format];
        ctx.attachment(`helpdesk-report.${format}`);
        ctx.body = await write(doc);
      },
    );
  }

  return router;
}
