import { Router } from '@koa/router';
import { z } from 'zod';
import { apiError, notFound } from '../../http/errors.js';
import { defineRoute } from '../../http/define.js';
import { pathId } from '../../http/path-id.js';
import { itemsOf, timestamp } from '../../http/schemas.js';
import type { AppState } from '../../http/request-state.js';
import type { ScimService } from './scim.service.js';

const tokenRow = z.object({
  id: z.uuid(),
  tenantId: z.uuid(),
  name: z.string(),
  createdAt: timestamp,
  lastUsedAt: timestamp.nullable(),
});
const newToken = z.strictObject({
  name: z.string().trim().min(1).max(100),
  /** A global admin names the tenant; a tenant's admin makes tokens for their own. */
  tenantId: z.uuid().optional(),
});

/** The tenant's SCIM tokens (users.manage): made, listed and revoked by its admins. */
export function scimTokenRoutes(
  scim: ScimService,
  tenantExists: (id: string) => Promise<boolean>,
): Router<AppState> {
  const router = new Router<AppState>({ prefix: '/api/v1/scim' });

  defineRoute(
    router,
    {
      method: 'get',
      path: '/tokens',
      summary: "The tenant's live SCIM tokens (never the tokens themselves)",
      tags: ['scim'],
      responses: { 200: { description: 'The tokens', schema: itemsOf(tokenRow) } },
    },
    async (ctx) => {
      ctx.body = { items: await scim.listTokens(ctx.state.user.tenantId) };
    },
  );

  defineRoute(
    router,
    {
      method: 'post',
      path: '/tokens',
      summary: 'Makes a SCIM token for a directory; the token is shown in this answer only',
      tags: ['scim'],
      body: newToken,
      responses: {
        201: {
          description: 'The token, once',
          schema: z.object({
            token: tokenRow.omit({ lastUsedAt: true }).extend({ token: z.string() }),
          }),
        },
      },
    },
    async (ctx, read) => {
      const { name, tenantId: named } = read.body();
      const own = ctx.state.user.tenantId;
      if (own && named && named !== own)
        throw notFound('BW_ERR_TENANT_NOT_FOUND', `tenant ${named} does not exist`);
      const tenantId = own ?? named;
      if (!tenantId)
        throw apiError(400, 'BW_ERR_VALIDATION', 'tenantId: the tenant the directory provisions', {
          field: 'tenantId',
        });
      if (!own && !(await tenantExists(tenantId)))
        throw notFound('BW_ERR_TENANT_NOT_FOUND', `tenant ${tenantId} does not exist`);
      ctx.status = 201;
      ctx.body = { token: await scim.createToken(tenantId, name) };
    },
  );

  defineRoute(
    router,
    {
      method: 'delete',
      path: '/tokens/:id',
      summary: 'Revokes a SCIM token: the directory can no longer provision with it',
      tags: ['scim'],
      params: z.object({ id: z.uuid() }),
      responses: { 204: { description: 'Revoked' } },
    },
    async (ctx) => {
      const id = pathId(ctx.params.id, 'SCIM token');
      if (!(await scim.revokeToken(id, ctx.state.user.tenantId)))
        throw notFound('BW_ERR_NOT_FOUND', `SCIM token ${id} does not exist`);
      ctx.status = 204;
    },
  );

  return router;
}
