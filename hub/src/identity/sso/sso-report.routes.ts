import { Router } from '@koa/router';
import { z } from 'zod';
import { LANGUAGES } from '@branchwatch/api';
import { defineRoute } from '../../http/define.js';
import { csvText, timestamp, uuid } from '../../http/schemas.js';
import type { AppState } from '../../http/request-state.js';
import { ssoReportCsv, type SsoReportService } from './sso-report.js';

const reportQuery = z.strictObject({
  /** A global admin names the tenant; a tenant's admin reads their own. */
  tenantId: z.uuid().optional(),
  /** The period, from included, to excluded; the last 30 days when left out. */
  from: z.iso.datetime({ offset: true }).optional(),
  to: z.iso.datetime({ offset: true }).optional(),
});

const reportAnswer = z.object({
  report: z.object({
    tenantId: uuid,
    from: timestamp,
    to: timestamp,
    providers: z.array(
      z.object({
        /** Null: the hub's own password, or a provider removed since. */
        providerId: uuid.nullable(),
        name: z.string().nullable(),
        /** password, oidc, saml or ldap. */
        method: z.string(),
        signIns: z.number().int(),
        failures: z.number().int(),
      }),
    ),
    /** Refused sign-ins by reason (a code: the pages say it in words), most first. */
    failures: z.array(z.object({ reason: z.string(), count: z.number().int() })),
    neverSignedIn: z.object({
      total: z.number().int(),
      items: z.array(
        z.object({
          id: uuid,
          username: z.string(),
          role: z.string(),
          createdAt: timestamp,
          breakGlass: z.boolean(),
        }),
      ),
    }),
    breakGlass: z.object({
      total: z.number().int(),
      items: z.array(
        z.object({ at: timestamp, username: z.string().nullable(), ip: z.string().nullable() }),
      ),
    }),
    findings: z.array(
      z.object({
        providerId: z.string().nullable(),
        name: z.string().nullable(),
        kind: z.enum(['sha1', 'clock_skew']),
        count: z.number().int(),
        signedIn: z.number().int(),
        worstSeconds: z.number().int().nullable(),
        lastAt: timestamp,
      }),
    ),
  }),
});

const date = (v: string | undefined) => (v === undefined ? undefined : new Date(v));

/** The SSO security report of a tenant (users.manage), as JSON and as CSV. */
export function ssoReportRoutes(reports: SsoReportService): Router<AppState> {
  const router = new Router<AppState>({ prefix: '/api/v1' });
  defineRoute(
    router,
    {
      method: 'get',
      path: '/sso-report',
      summary:
        'Sign-ins per provider, refusals by reason, accounts never signed in and break-glass sign-ins of a tenant over a period',
      tags: ['sso'],
      query: reportQuery,
      responses: { 200: { description: 'The report', schema: reportAnswer } },
    },
    async (ctx, read) => {
      const q = read.query();
      ctx.body = {
        report: await reports.report(ctx.state.user, {
          tenantId: q.tenantId,
          from: date(q.from),
          to: date(q.to),
        }),
      };
    },
  );
  defineRoute(
    router,
    {
      method: 'get',
      path: '/sso-report.csv',
      summary: 'The SSO security report as CSV (with a byte order mark), in a language',
      tags: ['sso'],
      query: reportQuery.extend({ lang: z.enum(LANGUAGES).default('en') }),
      responses: { 200: { description: 'RFC 4180 CSV', contentType: 'text/csv', schema: csvText } },
    },
    async (ctx, read) => {
      const q = read.query();
      const report = await reports.report(ctx.state.user, {
        tenantId: q.tenantId,
        from: date(q.from),
        to: date(q.to),
      });
      ctx.type = 'text/csv; charset=utf-8';
      ctx.attachment('sso-report.csv');
      ctx.body = ssoReportCsv(report, q.lang);
    },
  );
  return router;
}
