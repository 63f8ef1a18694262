import { Router } from '@koa/router';
import { z } from 'zod';
import { CRITICALITIES, thresholdFieldsOf } from '@branchwatch/api';
import type { AlertService } from './alert-rule.service.js';
import { thresholdSchema } from './thresholds.js';
import { defineRoute } from '../http/define.js';
import {
  alertDefaults,
  alertRule,
  effectivePolicy,
  maintenanceWindow,
  outage,
  parentLink,
} from './alerts.schemas.js';
import { itemsOf } from '../http/schemas.js';
import { parseInput } from '../http/validate.js';
import type { AppState } from '../http/request-state.js';

const count = z.number().int().positive().max(100_000).nullable().default(null);
const timeRange = z.string().regex(/^\d\d:\d\d-\d\d:\d\d$/, 'must be HH:MM-HH:MM');
const weekday = z.array(timeRange).max(8).optional();

const ruleBody = z
  .strictObject({
    scope: z.enum(['tenant', 'branch', 'check']),
    scopeId: z.uuid(),
    checkType: z
      .string()
      .regex(/^(\*|[a-z][a-z0-9_-]{0,31})$/)
      .default('*'),
    thresholds: z.array(thresholdSchema).max(64).default([]),
    failRounds: count,
    recoverRounds: count,
    flapChanges: count,
    flapWindowSeconds: count,
    flapQuietSeconds: count,
  })
  .superRefine((rule, ctx) => {
    // A threshold on a field the check type does not measure would never fire: refuse it.
    const fields = thresholdFieldsOf(rule.checkType);
    rule.thresholds.forEach((threshold, i) => {
      if (!fields.includes(threshold.field))
        ctx.addIssue({
          code: 'custom',
          path: ['thresholds', i, 'field'],
          message:
            rule.checkType === '*'
              ? `no check type measures ${threshold.field} (fields: ${fields.join(', ')})`
              : `${rule.checkType} checks do not measure ${threshold.field} (they measure ${fields.join(', ')})`,
        });
    });
  });

const windowBody = z
  .strictObject({
    scope: z.enum(['tenant', 'branch', 'agent', 'check']),
    scopeId: z.uuid(),
    reason: z.string().max(500).default(''),
    startsAt: z.iso.datetime({ offset: true }).optional(),
    endsAt: z.iso.datetime({ offset: true }).optional(),
    weekly: z
      .strictObject({
        mon: weekday,
        tue: weekday,
        wed: weekday,
        thu: weekday,
        fri: weekday,
        sat: weekday,
        sun: weekday,
      })
      .optional(),
    recurrence: z
      .strictObject({
        rule: z.string().min(1).max(200).meta({ example: 'FREQ=WEEKLY;BYDAY=FR' }),
        from: z.string().max(10).meta({ description: 'The first day, YYYY-MM-DD' }),
        until: z.string().max(10).nullable().default(null),
        start: z.string().max(5).meta({ example: '22:00' }),
        end: z
          .string()
          .max(5)
          .meta({ description: 'Next day when not after start', example: '02:00' }),
      })
      .optional(),
    zone: z.string().min(1).max(64).optional(),
  })
  .refine(
    (w) =>
      [w.startsAt || w.endsAt, w.weekly, w.recurrence].filter(Boolean).length === 1 &&
      (!(w.startsAt || w.endsAt) || (w.startsAt && w.endsAt)),
    {
      message:
        'give either startsAt and endsAt (one-off), weekly (ranges per weekday) or recurrence (a rule)',
    },
  )
  .refine((w) => !w.startsAt || !w.endsAt || Date.parse(w.endsAt) > Date.parse(w.startsAt), {
    message: 'endsAt must be after startsAt',
    path: ['endsAt'],
  });

const idParam = z.uuid();

const idParams = z.object({ id: idParam });
const ruleKey = z.object({
  scope: z.enum(['tenant', 'branch', 'check']),
  scopeId: idParam,
  checkType: z.string(),
});
const checkRole = z.strictObject({ role: z.enum(['wan']).nullable() });
const branchAlerting = z.strictObject({
  criticality: z.enum(CRITICALITIES).optional(),
  timeZone: z.string().min(1).max(64).optional(),
});
const newLink = z.strictObject({ parentCheckId: idParam, childCheckId: idParam });
const priorityBody = z.strictObject({ priority: z.enum(['low', 'normal', 'high', 'urgent']) });
const outagesQuery = z.object({ limit: z.coerce.number().int().min(1).max(500).default(50) });
const tags = ['alerts'];

/**
 * Alert rules, maintenance windows, parent links and priorities (docs/alerts.md). Who may do
 * what is the route table's (identity/route-permissions.ts), like everywhere else.
 */
export function alertRoutes(alerts: AlertService): Router<AppState> {
  const router = new Router<AppState>({ prefix: '/api/v1/alerts' });

  defineRoute(
    router,
    {
      method: 'get',
      path: '/rules/defaults',
      summary: 'The built-in thresholds, hysteresis and flap settings',
      tags,
      responses: { 200: { description: 'The defaults', schema: alertDefaults } },
    },
    (ctx) => {
      ctx.body = alerts.defaults();
    },
  );
  defineRoute(
    router,
    {
      method: 'get',
      path: '/rules',
      summary: "The tenant's alert rules",
      tags,
      responses: { 200: { description: 'The rules', schema: itemsOf(alertRule) } },
    },
    async (ctx) => {
      ctx.body = { items: await alerts.listRules(ctx.state.user) };
    },
  );
  defineRoute(
    router,
    {
      method: 'put',
      path: '/rules',
      summary: 'Sets the rule of a scope (tenant, branch or check) and check type',
      tags,
      body: ruleBody,
      responses: { 200: { description: 'The rule', schema: z.object({ rule: alertRule }) } },
    },
    async (ctx, read) => {
      ctx.body = { rule: await alerts.putRule(ctx.state.user, read.body()) };
    },
  );
  defineRoute(
    router,
    {
      method: 'delete',
      path: '/rules/:scope/:scopeId/:checkType',
      summary: 'Removes a rule',
      tags,
      params: ruleKey,
      responses: { 204: { description: 'Removed' } },
    },
    async (ctx) => {
      const p = parseInput(ruleKey, ctx.params);
      await alerts.deleteRule(ctx.state.user, p.scope, p.scopeId, p.checkType);
      ctx.status = 204;
    },
  );
  defineRoute(
    router,
    {
      method: 'get',
      path: '/checks/:id/policy',
      summary: 'The alert policy in effect for a check, all layers applied',
      tags,
      params: idParams,
      responses: {
        200: { description: 'The policy', schema: z.object({ policy: effectivePolicy }) },
      },
    },
    async (ctx) => {
      ctx.body = {
        policy: await alerts.effective(ctx.state.user, parseInput(idParam, ctx.params.id)),
      };
    },
  );
  defineRoute(
    router,
    {
      method: 'put',
      path: '/checks/:id/role',
      summary: "Marks a check as the branch's WAN probe (a parent of the branch's alerts)",
      tags,
      params: idParams,
      body: checkRole,
      responses: { 204: { description: 'Set' } },
    },
    async (ctx, read) => {
      const { role } = read.body();
      await alerts.setCheckRole(ctx.state.user, parseInput(idParam, ctx.params.id), role);
      ctx.status = 204;
    },
  );
  defineRoute(
    router,
    {
      method: 'put',
      path: '/branches/:id',
      summary: "Sets a branch's criticality and time zone",
      tags,
      params: idParams,
      body: branchAlerting,
      responses: { 204: { description: 'Set' } },
    },
    async (ctx, read) => {
      const body = read.body();
      await alerts.setBranch(ctx.state.user, parseInput(idParam, ctx.params.id), body);
      ctx.status = 204;
    },
  );

  defineRoute(
    router,
    {
      method: 'get',
      path: '/maintenance',
      summary: 'The maintenance windows',
      tags,
      responses: { 200: { description: 'The windows', schema: itemsOf(maintenanceWindow) } },
    },
    async (ctx) => {
      ctx.body = { items: await alerts.listWindows(ctx.state.user) };
    },
  );
  defineRoute(
    router,
    {
      method: 'post',
      path: '/maintenance',
      summary: 'Creates a one-off, weekly or recurring maintenance window',
      tags,
      body: windowBody,
      responses: {
        201: { description: 'The window', schema: z.object({ window: maintenanceWindow }) },
      },
    },
    async (ctx, read) => {
      const w = read.body();
      const window = await alerts.createWindow(ctx.state.user, {
        scope: w.scope,
        scopeId: w.scopeId,
        reason: w.reason,
        startsAt: w.startsAt ? new Date(w.startsAt) : null,
        endsAt: w.endsAt ? new Date(w.endsAt) : null,
        weekly: w.weekly ?? null,
        recurrence: w.recurrence ?? null,
        zone: w.zone ?? null,
      });
      ctx.status = 201;
      ctx.body = { window };
    },
  );
  defineRoute(
    router,
    {
      method: 'delete',
      path: '/maintenance/:id',
      summary: 'Removes a maintenance window',
      tags,
      params: idParams,
      responses: { 204: { description: 'Removed' } },
    },
    async (ctx) => {
      await alerts.deleteWindow(ctx.state.user, parseInput(idParam, ctx.params.id));
      ctx.status = 204;
    },
  );

  defineRoute(
    router,
    {
      method: 'get',
      path: '/parents',
      summary: 'The parent links between checks',
      tags,
      responses: { 200: { description: 'The links', schema: itemsOf(parentLink) } },
    },
    async (ctx) => {
      ctx.body = { items: await alerts.listLinks(ctx.state.user) };
    },
  );
  defineRoute(
    router,
    {
      method: 'post',
      path: '/parents',
      summary: "Makes one check the parent of another (the child's alerts attach to it)",
      tags,
      body: newLink,
      responses: { 201: { description: 'The link', schema: z.object({ link: parentLink }) } },
    },
    async (ctx, read) => {
      const body = read.body();
      ctx.status = 201;
      ctx.body = {
        link: await alerts.createLink(ctx.state.user, body.parentCheckId, body.childCheckId),
      };
    },
  );
  defineRoute(
    router,
    {
      method: 'delete',
      path: '/parents/:id',
      summary: 'Removes a parent link',
      tags,
      params: idParams,
      responses: { 204: { description: 'Removed' } },
    },
    async (ctx) => {
      await alerts.deleteLink(ctx.state.user, parseInput(idParam, ctx.params.id));
      ctx.status = 204;
    },
  );

  defineRoute(
    router,
    {
      method: 'put',
      path: '/tickets/:id/priority',
      summary: "Overrides the priority of an alert's ticket",
      tags,
      params: idParams,
      body: priorityBody,
      responses: { 204: { description: 'Set' } },
    },
    async (ctx, read) => {
      const { priority } = read.body();
      await alerts.overridePriority(ctx.state.user, parseInput(idParam, ctx.params.id), priority);
      ctx.status = 204;
    },
  );
  defineRoute(
    router,
    {
      method: 'get',
      path: '/agents/:id/outages',
      summary: "An agent's offline periods, newest first",
      tags,
      params: idParams,
      query: outagesQuery,
      responses: { 200: { description: 'The outages', schema: itemsOf(outage) } },
    },
    async (ctx, read) => {
      const { limit } = read.query();
      ctx.body = {
        items: await alerts.outages(ctx.state.user, parseInput(idParam, ctx.params.id), limit),
      };
    },
  );
  return router;
}
