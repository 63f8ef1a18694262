import { Router } from '@koa/router';
import { z } from 'zod';
import { apiError } from '../http/errors.js';
import { REPORT_GROUPINGS } from './report.repository.js';
import type { ReportService } from './report.service.js';
import { defineRoute } from '../http/define.js';
import { csvText } from '../http/schemas.js';
import { ticketReport } from './report.schemas.js';
import type { AppState } from '../http/request-state.js';

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
export function reportRoutes(reports: ReportService): Router<AppState> {
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

  return router;
}
