import { Router } from '@koa/router';
import { z } from 'zod';
import type { AgentService } from './agent.service.js';
import type { BranchService } from './branch.service.js';
import type { CheckService } from './check.service.js';
import { agentView, checkView } from './fleet.views.js';
import { defineRoute } from '../http/define.js';
import { itemsOf } from '../http/schemas.js';
import { pathId } from '../http/path-id.js';
import {
  agentAnswer,
  branchAnswer,
  branchPatch,
  checkAnswer,
  issuedAgent,
} from './inventory.schemas.js';
import type { BranchRow } from './branch.repository.js';
import type { AppState } from '../http/request-state.js';
import type { PublicAddress } from '../http/public-address.js';

const newBranch = z.strictObject({
  slug: z.string(),
  name: z.string().min(1).max(200).optional(),
  tenant: z.string().optional(),
});

const newAgent = z.strictObject({
  branchId: z.uuid(),
  slug: z.string(),
  name: z.string().min(1).max(200).optional(),
});

export interface InventoryServices {
  branches: BranchService;
  agents: AgentService;
  checks: CheckService;
}

const branchView = (b: BranchRow) => ({
  id: b.id,
  tenant: b.tenantSlug,
  slug: b.slug,
  name: b.name,
  address: b.address,
  latitude: b.latitude,
  longitude: b.longitude,
  timeZone: b.timeZone,
  criticality: b.criticality,
});

/** Branches, their agents and the agents' checks. Routes are thin: parse, call, shape. */
export function inventoryRoutes(
  services: InventoryServices,
  hubAddress: PublicAddress,
): Router<AppState> {
  const router = new Router<AppState>({ prefix: '/api/v1' });

  defineRoute(
    router,
    {
      method: 'get',
      path: '/branches',
      summary: "The tenant's branches",
      tags: ['inventory'],
      responses: { 200: { description: 'The branches', schema: itemsOf(branchAnswer) } },
    },
    async (ctx) => {
      const branches = await services.branches.list(ctx.state.user.tenantId);
      ctx.body = { items: branches.map(branchView) };
    },
  );

  defineRoute(
    router,
    {
      method: 'post',
      path: '/branches',
      summary: 'Creates a branch',
      tags: ['inventory'],
      body: newBranch,
      responses: {
        201: { description: 'The new branch', schema: z.object({ branch: branchAnswer }) },
      },
    },
    async (ctx, read) => {
      const input = read.body();
      const b = await services.branches.create(input, ctx.state.user.tenantId);
      ctx.status = 201;
      ctx.body = { branch: branchView(b) };
    },
  );

  const branchParams = z.object({ id: z.uuid() });
  defineRoute(
    router,
    {
      method: 'patch',
      path: '/branches/:id',
      summary: 'Renames a branch or sets its address, coordinates or time zone (not its slug)',
      tags: ['inventory'],
      params: branchParams,
      body: branchPatch,
      responses: {
        200: { description: 'The branch as it is now', schema: z.object({ branch: branchAnswer }) },
      },
    },
    async (ctx, read) => {
      const id = pathId(ctx.params.id, 'branch');
      const b = await services.branches.update(id, read.body());
      ctx.body = { branch: branchView(b) };
    },
  );

  defineRoute(
    router,
    {
      method: 'delete',
      path: '/branches/:id',
      summary:
        'Deletes a branch; 409 BW_ERR_BRANCH_IN_USE (with the counts in details) while it has ' +
        'agents, open tickets or users scoped to it',
      tags: ['inventory'],
      params: branchParams,
      responses: { 204: { description: 'Deleted' } },
    },
    async (ctx) => {
      await services.branches.remove(pathId(ctx.params.id, 'branch'));
      ctx.status = 204;
    },
  );

  defineRoute(
    router,
    {
      method: 'get',
      path: '/agents',
      summary: "The tenant's agents",
      tags: ['inventory'],
      responses: { 200: { description: 'The agents', schema: itemsOf(agentAnswer) } },
    },
    async (ctx) => {
      ctx.body = { items: (await services.agents.list(ctx.state.user.tenantId)).map(agentView) };
    },
  );

  defineRoute(
    router,
    {
      method: 'post',
      path: '/agents',
      summary: 'Creates an agent and issues its credentials and config',
      tags: ['inventory'],
      body: newAgent,
      responses: {
        201: {
          description: 'The agent, its MQTT credentials (shown once) and config',
          schema: issuedAgent,
        },
      },
    },
    async (ctx, read) => {
      const input = read.body();
      const issued = await services.agents.create(
        input,
        ctx.state.user.tenantId,
        hubAddress.mqttUrl(ctx),
      );
      ctx.status = 201;
      ctx.body = {
        agent: agentView(issued.agent),
        credentials: issued.credentials,
        config: issued.config,
      };
    },
  );

  defineRoute(
    router,
    {
      method: 'get',
      path: '/checks',
      summary: "The tenant's checks",
      tags: ['inventory'],
      responses: { 200: { description: 'The checks', schema: itemsOf(checkAnswer) } },
    },
    async (ctx) => {
      const listed = await services.checks.list(ctx.state.user.tenantId);
      ctx.body = { items: listed.map(({ check, agent }) => checkView(check, agent)) };
    },
  );

  return router;
}
