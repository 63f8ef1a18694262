import { Router } from '@koa/router';
import { z } from 'zod';
import type { TenantService } from './tenant.service.js';
import { defineRoute } from '../http/define.js';
import { itemsOf } from '../http/schemas.js';
import { pathId } from '../http/path-id.js';
import { tenant } from './identity.schemas.js';
import type { AppState } from '../http/request-state.js';

const newTenant = z.strictObject({
  slug: z.string(),
  name: z.string().trim().min(1).max(200),
});

const tenantPatch = z.strictObject({
  name: z.string().trim().min(1).max(200),
});

const tenantParams = z.object({ id: z.uuid() });

/** Tenants (tenants.manage: global admins only). */
export function tenantRoutes(tenants: TenantService): Router<AppState> {
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
      ctx.body = { items: await tenants.list() };
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
      ctx.body = { tenant: await tenants.create(input.slug, input.name) };
    },
  );
  defineRoute(
    router,
    {
      method: 'patch',
      path: '/tenants/:id',
      summary: 'Renames a tenant (the slug is part of its agents’ MQTT topics and stays)',
      tags: ['tenants'],
      params: tenantParams,
      body: tenantPatch,
      responses: { 200: { description: 'The tenant as it is now', schema: z.object({ tenant }) } },
    },
    async (ctx, read) => {
      const id = pathId(ctx.params.id, 'tenant');
      ctx.body = { tenant: await tenants.rename(id, read.body().name) };
    },
  );
  defineRoute(
    router,
    {
      method: 'delete',
      path: '/tenants/:id',
      summary:
        'Deletes a tenant; 409 BW_ERR_TENANT_IN_USE (with the counts in details) while it has ' +
        'branches, users or tickets, and for the default tenant',
      tags: ['tenants'],
      params: tenantParams,
      responses: { 204: { description: 'Deleted' } },
    },
    async (ctx) => {
      await tenants.remove(pathId(ctx.params.id, 'tenant'));
      ctx.status = 204;
    },
  );
  return router;
}
