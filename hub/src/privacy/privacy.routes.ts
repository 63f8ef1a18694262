import { Router } from '@koa/router';
import { z } from 'zod';
import { apiError, notFound } from '../http/errors.js';
import { defineRoute } from '../http/define.js';
import { timestamp, uuid } from '../http/schemas.js';
import type { AppState } from '../http/request-state.js';
import type { PrivacyService } from './privacy.service.js';

/** Days from one to fifty years; null keeps the kind (or, for rounds, the hub's default). */
const days = (min: number) => z.number().int().min(min).max(36_500).nullable();

const retentionPolicy = z.object({
  tenantId: uuid,
  roundsDays: days(2).describe("Raw rounds of the tenant's checks; null: the hub's own days"),
  attachmentsDays: days(1).describe('Attachments of tickets resolved or closed this long ago'),
  closedTicketsDays: days(30).describe('Tickets closed this long ago, with their conversation'),
  auditDays: days(90).describe('Content of audit entries about the tenant'),
});
const policyBody = retentionPolicy
  .omit({ tenantId: true })
  .extend({ tenantId: z.uuid().optional() })
  .strict();
const tenantQuery = z.object({ tenantId: z.uuid().optional() });
const counts = z.object({
  rounds: z.number().int(),
  attachments: z.number().int(),
  attachmentBytes: z.number().int(),
  closedTickets: z.number().int(),
  auditEntries: z.number().int(),
});
const preview = z.object({
  policy: retentionPolicy,
  hubRoundsDays: z.number().int(),
  cutoffs: z.object({
    rounds: timestamp.nullable(),
    attachments: timestamp.nullable(),
    closedTickets: timestamp.nullable(),
    audit: timestamp.nullable(),
  }),
  counts,
});
const idParams = z.object({ id: z.uuid() });
const eraseBody = z.strictObject({
  /** Count what would change and change nothing. */
  dryRun: z.boolean(),
});
const erasure = z.object({
  pseudonym: z.string(),
  erased: z.boolean(),
  counts: z.record(z.string(), z.number().int()),
});

/** A malformed id names no one: 404, like an id of another tenant's person. */
function userIdOf(raw: string | undefined): string {
  if (!z.uuid().safeParse(raw).success)
    throw notFound('BW_ERR_NOT_FOUND', `user ${raw} does not exist`);
  return raw!;
}

/** Whether a tenant id names a tenant the caller sees. */
export type TenantExists = (id: string) => Promise<boolean>;

/**
 * Retention per tenant and a person's data (users.manage; docs/privacy.md). A tenant's admin
 * works on their own tenant; an admin of every tenant names the tenant.
 */
export function privacyRoutes(
  privacy: PrivacyService,
  tenantExists: TenantExists,
): Router<AppState> {
  const router = new Router<AppState>({ prefix: '/api/v1' });

  const tenantOf = async (user: AppState['user'], named: string | undefined) => {
    if (user.tenantId) {
      if (named && named !== user.tenantId)
        throw notFound('BW_ERR_TENANT_NOT_FOUND', `tenant ${named} does not exist`);
      return user.tenantId;
    }
    if (!named)
      throw apiError(400, 'BW_ERR_VALIDATION', 'tenantId: name the tenant', { field: 'tenantId' });
    if (!(await tenantExists(named)))
      throw notFound('BW_ERR_TENANT_NOT_FOUND', `tenant ${named} does not exist`);
    return named;
  };

  defineRoute(
    router,
    {
      method: 'get',
      path: '/retention',
      summary:
        "The tenant's retention and what it would remove now (a dry run: counts, nothing removed)",
      tags: ['privacy'],
      query: tenantQuery,
      responses: { 200: { description: 'Policy, cutoffs and counts', schema: preview } },
    },
    async (ctx, read) => {
      const tenantId = await tenantOf(ctx.state.user, read.query().tenantId);
      ctx.body = await privacy.preview(tenantId);
    },
  );

  defineRoute(
    router,
    {
      method: 'put',
      path: '/retention',
      summary:
        "Sets the tenant's retention; the hourly retention job removes what is past it from then on",
      tags: ['privacy'],
      body: policyBody,
      responses: { 200: { description: 'The policy and its dry run', schema: preview } },
    },
    async (ctx, read) => {
      const { tenantId: named, ...change } = read.body();
      const tenantId = await tenantOf(ctx.state.user, named);
      await privacy.setPolicy(tenantId, change);
      ctx.body = await privacy.preview(tenantId);
    },
  );

  defineRoute(
    router,
    {
      method: 'get',
      path: '/users/:id/personal-data',
      summary: 'Everything the hub holds about a person, as one JSON file (audited)',
      tags: ['privacy'],
      params: idParams,
      responses: {
        200: {
          description: 'The export',
          schema: z.record(z.string(), z.unknown()),
        },
      },
    },
    async (ctx) => {
      const id = userIdOf(ctx.params.id);
      const data = await privacy.exportPerson(ctx.state.user, id);
      ctx.set('content-disposition', `attachment; filename="personal-data-${id}.json"`);
      ctx.body = data;
    },
  );

  defineRoute(
    router,
    {
      method: 'post',
      path: '/users/:id/erase',
      summary:
        'Erases a person: pseudonymised in tickets and messages, signed out everywhere, kept in reports; dryRun only counts (audited)',
      tags: ['privacy'],
      params: idParams,
      body: eraseBody,
      responses: { 200: { description: 'What was (or would be) changed', schema: erasure } },
    },
    async (ctx, read) => {
      const id = userIdOf(ctx.params.id);
      const { dryRun } = read.body();
      ctx.body = await privacy.erasePerson(ctx.state.user, id, dryRun);
    },
  );

  return router;
}
