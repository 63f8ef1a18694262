import { Router } from '@koa/router';
import { z } from 'zod';
import type { AppState } from '../middleware/session.js';
import type { ApiTokenRow } from '../repositories/api-token.repository.js';
import { isAdmin } from '../services/auth.service.js';
import type { ApiTokenService } from '../services/api-token.service.js';
import { clientOf, requireSessionLogin } from './auth.routes.js';
import { parseInput } from './validate.js';

const createBody = z.strictObject({
  name: z.string().trim().min(1).max(100),
  scopes: z.array(z.string().min(1).max(100)).min(1).max(50),
  expiresAt: z.iso.datetime({ offset: true }).nullable().optional(),
});

/** The user's API tokens; the token itself is in the create answer only. */
export function apiTokenRoutes(tokens: ApiTokenService): Router<AppState> {
  const router = new Router<AppState>({ prefix: '/api/v1/auth/tokens' });

  router.get('/', async (ctx) => {
    ctx.body = { items: (await tokens.list(ctx.state.user.id)).map(view) };
  });

  router.post('/', async (ctx) => {
    requireSessionLogin(ctx);
    const input = parseInput(createBody, ctx.request.body);
    const { token, apiToken } = await tokens.create(
      ctx.state.user,
      { ...input, expiresAt: input.expiresAt ? new Date(input.expiresAt) : null },
      clientOf(ctx).ip,
    );
    ctx.status = 201;
    ctx.body = { token, apiToken: view(apiToken) };
  });

  router.delete('/:id', async (ctx) => {
    requireSessionLogin(ctx);
    const { id } = parseInput(z.object({ id: z.uuid() }), ctx.params);
    const me = ctx.state.user;
    await tokens.revoke(me, id, isAdmin(me), clientOf(ctx).ip);
    ctx.status = 204;
  });

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
