import { Router } from '@koa/router';
import { z } from 'zod';
import { notFound } from '../http/errors.js';
import type { DiscoveryService } from './discovery.service.js';
import { defineRoute } from '../http/define.js';
import { itemsOf, timestamp } from '../http/schemas.js';
import { agentEventAnswer, topologyAnswer } from './inventory.schemas.js';
import type { AppState } from '../http/request-state.js';

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
      params: z.object({ id: z.uuid() }),
      responses: {
        200: { description: 'Agents, devices and LLDP links', schema: topologyAnswer },
      },
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
      responses: { 200: { description: 'The events', schema: itemsOf(agentEventAnswer) } },
    },
    async (ctx, read) => {
      const q = read.query();
      ctx.body = { items: await discovery.events(ctx.state.user.tenantId, q.agentId, q.limit) };
    },
  );

  defineRoute(
    router,
    {
      method: 'get',
      path: '/agents/:id/connections',
      summary: 'When the agent lost its connection to the hub and when it came back (newest first)',
      tags: ['discovery'],
      params: z.object({ id: z.uuid() }),
      query: z.strictObject({ limit: z.coerce.number().int().min(1).max(200).default(20) }),
      responses: {
        200: {
          description: 'Disconnections, each with its reconnection (null while away)',
          schema: itemsOf(
            z.object({ agentId: z.uuid(), offlineAt: timestamp, onlineAt: timestamp.nullable() }),
          ),
        },
      },
    },
    async (ctx, read) => {
      if (!z.uuid().safeParse(ctx.params.id).success) {
        throw notFound('BW_ERR_NOT_FOUND', `agent ${ctx.params.id} does not exist`);
      }
      const { limit } = read.query();
      ctx.body = {
        items: await discovery.connections(ctx.params.id!, ctx.state.user.tenantId, limit),
      };
    },
  );

  return router;
}
