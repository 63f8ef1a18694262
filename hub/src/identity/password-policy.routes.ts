import { Router } from '@koa/router';
import { z } from 'zod';
import { notFound } from '../http/errors.js';
import { defineRoute } from '../http/define.js';
import type { AppState } from '../http/request-state.js';
import { POLICY_BOUNDS, type PasswordPolicyService } from './password-policy.service.js';

const { minLength, history, adminMaxSessions } = POLICY_BOUNDS;

export const passwordPolicy = z.object({
  /** Null: the policy of the global users (admins of every tenant). */
  tenantId: z.uuid().nullable(),
  minLength: z.number().int().min(minLength.min).max(minLength.max),
  /** Refuse passwords on the hub's list of common passwords. */
  refuseCommon: z.boolean(),
  /** How many of the last passwords may not be used again (0: any). */
  history: z.number().int().min(history.min).max(history.max),
  /** Sessions at once for tenant_admin and admin (the oldest end); null: no limit. */
  adminMaxSessions: z.number().int().min(adminMaxSessions.min).max(adminMaxSessions.max).nullable(),
});

const policyQuery = z.object({ tenantId: z.uuid().optional() });
const policyBody = passwordPolicy
  .omit({ tenantId: true })
  .extend({
    tenantId: z.uuid().nullable().optional(),
  })
  .strict();

/** Whether a tenant id names a tenant the caller sees (row-level security hides the rest). */
export type TenantExists = (id: string) => Promise<boolean>;

/**
 * The tenant's password policy (users.manage). A tenant's admin reads and sets their own
 * tenant's; a global admin names the tenant, or none for the global users'.
 */
export function passwordPolicyRoutes(
  passwords: PasswordPolicyService,
  tenantExists: TenantExists,
): Router<AppState> {
  const router = new Router<AppState>({ prefix: '/api/v1' });

  const tenantOf = async (user: AppState['user'], named: string | null | undefined) => {
    if (user.tenantId) {
      // Another tenant's id names nothing this admin may see.
      if (named && named !== user.tenantId)
        throw notFound('BW_ERR_TENANT_NOT_FOUND', `tenant ${named} does not exist`);
      return user.tenantId;
    }
    if (named && !(await tenantExists(named)))
      throw notFound('BW_ERR_TENANT_NOT_FOUND', `tenant ${named} does not exist`);
    return named ?? null;
  };

  defineRoute(
    router,
    {
      method: 'get',
      path: '/password-policy',
      summary: "The password policy of the caller's tenant (a global admin may name one)",
      tags: ['users'],
      query: policyQuery,
      responses: {
        200: { description: 'The policy', schema: z.object({ policy: passwordPolicy }) },
      },
    },
    async (ctx, read) => {
      const tenantId = await tenantOf(ctx.state.user, read.query().tenantId);
      ctx.body = { policy: await passwords.policyFor(tenantId) };
    },
  );

  defineRoute(
    router,
    {
      method: 'put',
      path: '/password-policy',
      summary:
        "Sets the password policy of the caller's tenant (a global admin may name one); it applies to passwords set from now on",
      tags: ['users'],
      body: policyBody,
      responses: {
        200: {
          description: 'The policy as it is now',
          schema: z.object({ policy: passwordPolicy }),
        },
      },
    },
    async (ctx, read) => {
      const { tenantId: named, ...change } = read.body();
      const tenantId = await tenantOf(ctx.state.user, named);
      ctx.body = { policy: await passwords.update(tenantId, change, ctx.state.user) };
    },
  );

  return router;
}
