import { Router } from '@koa/router';
import { z } from 'zod';
import type { AppState } from '../middleware/session.js';
import type { AgentService } from '../services/agent.service.js';
import type { BranchService } from '../services/branch.service.js';
import type { CheckService } from '../services/check.service.js';
import { agentView, checkView } from './views.js';
import { parseInput } from './validate.js';

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

/** Branches, their agents and the agents' checks. Routes are thin: parse, call, shape. */
export function inventoryRoutes(
  services: InventoryServices,
  mqttUrlFor: (requestHost: string) => string,
): Router<AppState> {
  const router = new Router<AppState>({ prefix: '/api/v1' });

  router.get('/branches', async (ctx) => {
    const branches = await services.branches.list(ctx.state.user.tenantId);
    ctx.body = {
      items: branches.map((b) => ({ id: b.id, tenant: b.tenantSlug, slug: b.slug, name: b.name })),
    };
  });

  router.post('/branches', async (ctx) => {
    const input = parseInput(newBranch, ctx.request.body);
    const b = await services.branches.create(input, ctx.state.user.tenantId);
    ctx.status = 201;
    ctx.body = { branch: { id: b.id, tenant: b.tenantSlug, slug: b.slug, name: b.name } };
  });

  router.get('/agents', async (ctx) => {
    ctx.body = { items: (await services.agents.list(ctx.state.user.tenantId)).map(agentView) };
  });

  router.post('/agents', async (ctx) => {
    const input = parseInput(newAgent, ctx.request.body);
    const issued = await services.agents.create(
      input,
      ctx.state.user.tenantId,
      mqttUrlFor(ctx.hostname),
    );
    ctx.status = 201;
    ctx.body = {
      agent: agentView(issued.agent),
      credentials: issued.credentials,
      config: issued.config,
    };
  });

  router.get('/checks', async (ctx) => {
    ctx.body = { items: (await services.checks.list(ctx.state.user.tenantId)).map(checkView) };
  });

  return router;
}
