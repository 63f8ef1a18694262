import { Router } from '@koa/router';
import { z } from 'zod';
import { defineRoute } from '../http/define.js';
import { pathId as id } from '../http/path-id.js';
import { itemsOf } from '../http/schemas.js';
import type { AppState } from '../http/request-state.js';
import type { AutomationService } from './automation.service.js';
import { rule, ruleBody, rulePatch, run, simulateBody, simulation } from './automation.schemas.js';

const idParams = z.object({ id: z.uuid() });
const tags = ['automation'];

/** Automation rules, their runs and the simulator (docs/automation.md). */
export function automationRoutes(s: AutomationService): Router<AppState> {
  const router = new Router<AppState>({ prefix: '/api/v1' });

  defineRoute(
    router,
    {
      method: 'get',
      path: '/automation/rules',
      summary: 'The automation rules, in order',
      tags,
      responses: { 200: { description: 'The rules', schema: itemsOf(rule) } },
    },
    async (ctx) => {
      ctx.body = { items: await s.list(ctx.state.user) };
    },
  );
  defineRoute(
    router,
    {
      method: 'post',
      path: '/automation/rules',
      summary: 'Saves a new automation rule',
      tags,
      body: ruleBody,
      responses: { 201: { description: 'Created', schema: z.object({ rule }) } },
    },
    async (ctx, read) => {
      ctx.status = 201;
      ctx.body = { rule: await s.create(ctx.state.user, read.body()) };
    },
  );
  defineRoute(
    router,
    {
      method: 'post',
      path: '/automation/simulate',
      summary: 'What a draft rule would have done over the last days',
      tags,
      body: simulateBody,
      responses: { 200: { description: 'The simulation', schema: simulation } },
    },
    async (ctx, read) => {
      const { rule: draft, days, tenantId, ruleId } = read.body();
      ctx.body = await s.simulate(ctx.state.user, draft, days, { tenantId, ruleId });
    },
  );
  defineRoute(
    router,
    {
      method: 'get',
      path: '/automation/rules/:id',
      summary: 'An automation rule',
      tags,
      params: idParams,
      responses: { 200: { description: 'The rule', schema: z.object({ rule }) } },
    },
    async (ctx) => {
      ctx.body = { rule: await s.get(id(ctx.params.id, 'automation rule'), ctx.state.user) };
    },
  );
  defineRoute(
    router,
    {
      method: 'patch',
      path: '/automation/rules/:id',
      summary: 'Changes an automation rule (recorded in the audit chain)',
      tags,
      params: idParams,
      body: rulePatch,
      responses: { 200: { description: 'The rule', schema: z.object({ rule }) } },
    },
    async (ctx, read) => {
      const ruleId = id(ctx.params.id, 'automation rule');
      ctx.body = { rule: await s.update(ruleId, ctx.state.user, read.body()) };
    },
  );
  defineRoute(
    router,
    {
      method: 'delete',
      path: '/automation/rules/:id',
      summary: 'Deletes an automation rule and its runs',
      tags,
      params: idParams,
      responses: { 204: { description: 'Deleted' } },
    },
    async (ctx) => {
      await s.remove(id(ctx.params.id, 'automation rule'), ctx.state.user);
      ctx.status = 204;
    },
  );
  defineRoute(
    router,
    {
      method: 'get',
      path: '/automation/rules/:id/runs',
      summary: "A rule's history: each evaluation that acted, and why",
      tags,
      params: idParams,
      responses: { 200: { description: 'The runs, newest first', schema: itemsOf(run) } },
    },
    async (ctx) => {
      ctx.body = { items: await s.runs(id(ctx.params.id, 'automation rule'), ctx.state.user) };
    },
  );
  defineRoute(
    router,
    {
      method: 'get',
      path: '/tickets/:id/automation-runs',
      summary: 'What automation rules did on a ticket, and why',
      tags,
      params: idParams,
      responses: { 200: { description: 'The runs, newest first', schema: itemsOf(run) } },
    },
    async (ctx) => {
      ctx.body = { items: await s.ticketRuns(id(ctx.params.id, 'ticket'), ctx.state.user) };
    },
  );
  return router;
}
