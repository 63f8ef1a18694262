import { Router } from '@koa/router';
import { z } from 'zod';
import { notFound } from '../errors.js';
import type { AppState } from '../middleware/session.js';
import type { DiscoveryService } from '../services/discovery.service.js';
import { defineRoute } from './define.js';

const eventsQuery = z.strictObject({
  agentId: z.uuid().optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(100),
});

/** The topology agents discovered, and the events they forwarded. */
export function discoveryRoutes(discovery: DiscoveryService): Router<AppState> {
  const router = new Router<AppState>({ prefix: '/api/v1' });

  defineRoute(
    router,
    {
      method: 'get',
      path: '/branches/:id/topology',
      summary: "The topology the branch's agents discovered",
      tags: ['discovery'],
    },
    async (ctx) => {
      if (!z.uuid().safeParse(ctx.params.id).success) {
        throw notFound('BW_ERR_BRANCH_NOT_FOUND', `branch ${ctx.params.id} does not exist`);
      }
      ctx.body = await discovery.branchTopology(ctx.params.id!, ctx.state.user.tenantId);
    },
  );

  defineRoute(
    router,
    {
      method: 'get',
      path: '/events',
      summary: 'Events the agents forwarded (newest first)',
      tags: ['discovery'],
      query: eventsQuery,
    },
    async (ctx, read) => {
      const q = read.query();
      ctx.body = { items: await discovery.events(ctx.state.user.tenantId, q.agentId, q.limit) };
    },
  );

  return router;
}
