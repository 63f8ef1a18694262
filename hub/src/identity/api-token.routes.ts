import { Router } from '@koa/router';
import { z } from 'zod';
import type { ApiTokenRow } from './api-token.repository.js';
import { isAdmin } from './auth.service.js';
import type { ApiTokenService } from './api-token.service.js';
import { clientOf, requireSessionLogin } from './auth.routes.js';
import { defineRoute } from '../http/define.js';
import { itemsOf } from '../http/schemas.js';
import { apiToken } from './identity.schemas.js';
import { parseInput } from '../http/validate.js';
import type { AppState } from '../http/request-state.js';

const createBody = z.strictObject({
  name: z.string().trim().min(1).max(100),
  scopes: z.array(z.string().min(1).max(100)).min(1).max(50),
  expiresAt: z.iso.datetime({ offset: true }).nullable().optional(),
});
const idParams = z.object({ id: z.uuid() });

/** The user's API tokens; the token itself is in the create answer only. */
export function apiTokenRoutes(tokens: ApiTokenService): Router<AppState> {
  const router = new Router<AppState>({ prefix: '/api/v1/auth/tokens' });

  defineRoute(
    router,
    {
      method: 'get',
      path: '/',
      summary: "The user's API tokens (never the token itself)",
      tags: ['auth'],
      responses: { 200: { description: 'The tokens', schema: itemsOf(apiToken) } },
    },
    async (ctx) => {
      ctx.body = { items: (await tokens.list(ctx.state.user.id)).map(view) };
    },
  );

  defineRoute(
    router,
    {
      method: 'post',
      path: '/',
      summary: 'Creates an API token limited to some permissions (scopes)',
      tags: ['auth'],
      body: createBody,
      responses: {
        201: {
          description: 'The token (shown this once) and its record',
          schema: z.object({ token: z.string(), apiToken }),
        },
      },
    },
    async (ctx, read) => {
      requireSessionLogin(ctx);
      const input = read.body();
      const { token, apiToken } = await tokens.create(
        ctx.state.user,
        { ...input, expiresAt: input.expiresAt ? new Date(input.expiresAt) : null },
        clientOf(ctx).ip,
      );
      ctx.status = 201;
      ctx.body = { token, apiToken: view(apiToken) };
    },
  );

  defineRoute(
    router,
    {
      method: 'delete',
      path: '/:id',
      summary: 'Revokes an API token',
      tags: ['auth'],
      params: idParams,
      responses: { 204: { description: 'Revoked' } },
    },
    async (ctx) => {
      requireSessionLogin(ctx);
      const { id } = parseInput(idParams, ctx.params);
      const me = ctx.state.user;
      await tokens.revoke(me, id, isAdmin(me), clientOf(ctx).ip);
      ctx.status = 204;
    },
  );

  return router;
}

const view = (t: ApiTokenRow) => ({
  id: t.id,
  name: t.name,
  scopes: t.scopes,
  createdAt: t.createdAt,
  expiresAt: t.expiresAt,
  lastUsedAt: t.lastUsedAt,
  revokedAt: t.revokedAt,
});
