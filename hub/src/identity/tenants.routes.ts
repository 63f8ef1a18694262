import { Router } from '@koa/router';
import { z } from 'zod';
import type { UserAdminService } from './user-admin.service.js';
import { defineRoute } from '../http/define.js';
import { itemsOf } from '../http/schemas.js';
import { tenant } from './identity.schemas.js';
import type { AppState } from '../http/request-state.js';

const newTenant = z.strictObject({
  slug: z.string(),
  name: z.string().min(1).max(200),
});

/** Tenants (tenants.manage: global admins only). */
export function tenantRoutes(admin: UserAdminService): Router<AppState> {
  const router = new Router<AppState>({ prefix: '/api/v1' });
  defineRoute(
    router,
    {
      method: 'get',
      path: '/tenants',
      summary: 'Every tenant',
      tags: ['tenants'],
      responses: { 200: { description: 'The tenants', schema: itemsOf(tenant) } },
    },
    async (ctx) => {
      ctx.body = { items: await admin.listTenants() };
    },
  );
  defineRoute(
    router,
    {
      method: 'post',
      path: '/tenants',
      summary: 'Creates a tenant',
      tags: ['tenants'],
      body: newTenant,
      responses: { 201: { description: 'The new tenant', schema: z.object({ tenant }) } },
    },
    async (ctx, read) => {
      const input = read.body();
      ctx.status = 201;
      ctx.body = { tenant: await admin.createTenant(input.slug, input.name) };
    },
  );
  return router;
}
