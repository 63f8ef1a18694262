import { Router } from '@koa/router';
import { z } from 'zod';
import type { AppState } from '../middleware/session.js';
import type { UserAdminService } from '../services/user-admin.service.js';
import { parseInput } from './validate.js';

const newTenant = z.strictObject({
  slug: z.string(),
  name: z.string().min(1).max(200),
});

/** Tenants (tenants.manage: global admins only). */
export function tenantRoutes(admin: UserAdminService): Router<AppState> {
  const router = new Router<AppState>({ prefix: '/api/v1' });
  router.get('/tenants', async (ctx) => {
    ctx.body = { items: await admin.listTenants() };
  });
  router.post('/tenants', async (ctx) => {
    const input = parseInput(newTenant, ctx.request.body);
    ctx.status = 201;
    ctx.body = { tenant: await admin.createTenant(input.slug, input.name) };
  });
  return router;
}
