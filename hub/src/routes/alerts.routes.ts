import { Router } from '@koa/router';
import { z } from 'zod';
import type { AlertService } from '../alerts/alert.service.js';
import { thresholdSchema } from '../alerts/thresholds.js';
import type { AppState } from '../middleware/session.js';
import { TICKET_WRITERS, requireRole } from './roles.js';
import { parseInput } from './validate.js';

const ALERT_ADMINS = ['admin', 'tenant_admin'] as const;
const count = z.number().int().positive().max(100_000).nullable().default(null);
const timeRange = z.string().regex(/^\d\d:\d\d-\d\d:\d\d$/, 'must be HH:MM-HH:MM');
const weekday = z.array(timeRange).max(8).optional();

const ruleBody = z.strictObject({
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
    zone: z.string().min(1).max(64).optional(),
  })
  .refine((w) => (w.weekly ? !w.startsAt && !w.endsAt : w.startsAt && w.endsAt), {
    message: 'give either startsAt and endsAt (one-off) or weekly (recurring)',
  })
  .refine((w) => !w.startsAt || !w.endsAt || Date.parse(w.endsAt) > Date.parse(w.startsAt), {
    message: 'endsAt must be after startsAt',
    path: ['endsAt'],
  });

const idParam = z.uuid();

/** Alert rules, maintenance windows, parent links and priorities (docs/alerts.md). */
export function alertRoutes(alerts: AlertService): Router<AppState> {
  const router = new Router<AppState>({ prefix: '/api/v1/alerts' });
  router.use((ctx, next) => {
    // Anyone who works tickets may set a ticket's priority; the rest is for admins.
    const ticketWork = /^\/api\/v1\/alerts\/tickets\//.test(ctx.path);
    requireRole(ctx.state.user, ticketWork ? TICKET_WRITERS : ALERT_ADMINS);
    return next();
  });

  router.get('/rules/defaults', (ctx) => {
    ctx.body = alerts.defaults();
  });
  router.get('/rules', async (ctx) => {
    ctx.body = { items: await alerts.listRules(ctx.state.user) };
  });
  router.put('/rules', async (ctx) => {
    ctx.body = {
      rule: await alerts.putRule(ctx.state.user, parseInput(ruleBody, ctx.request.body)),
    };
  });
  router.delete('/rules/:scope/:scopeId/:checkType', async (ctx) => {
    const p = parseInput(
      z.object({
        scope: z.enum(['tenant', 'branch', 'check']),
        scopeId: idParam,
        checkType: z.string(),
      }),
      ctx.params,
    );
    await alerts.deleteRule(ctx.state.user, p.scope, p.scopeId, p.checkType);
    ctx.status = 204;
  });
  router.get('/checks/:id/policy', async (ctx) => {
    ctx.body = {
      policy: await alerts.effective(ctx.state.user, parseInput(idParam, ctx.params.id)),
    };
  });
  router.put('/checks/:id/role', async (ctx) => {
    const { role } = parseInput(
      z.strictObject({ role: z.enum(['wan']).nullable() }),
      ctx.request.body,
    );
    await alerts.setCheckRole(ctx.state.user, parseInput(idParam, ctx.params.id), role);
    ctx.status = 204;
  });
  router.put('/branches/:id', async (ctx) => {
    const body = parseInput(
      z.strictObject({
        criticality: z.enum(['low', 'normal', 'high', 'critical']).optional(),
        timeZone: z.string().min(1).max(64).optional(),
      }),
      ctx.request.body,
    );
    await alerts.setBranch(ctx.state.user, parseInput(idParam, ctx.params.id), body);
    ctx.status = 204;
  });

  router.get('/maintenance', async (ctx) => {
    ctx.body = { items: await alerts.listWindows(ctx.state.user) };
  });
  router.post('/maintenance', async (ctx) => {
    const w = parseInput(windowBody, ctx.request.body);
    const window = await alerts.createWindow(ctx.state.user, {
      scope: w.scope,
      scopeId: w.scopeId,
      reason: w.reason,
      startsAt: w.startsAt ? new Date(w.startsAt) : null,
      endsAt: w.endsAt ? new Date(w.endsAt) : null,
      weekly: w.weekly ?? null,
      zone: w.zone ?? null,
    });
    ctx.status = 201;
    ctx.body = { window };
  });
  router.delete('/maintenance/:id', async (ctx) => {
    await alerts.deleteWindow(ctx.state.user, parseInput(idParam, ctx.params.id));
    ctx.status = 204;
  });

  router.get('/parents', async (ctx) => {
    ctx.body = { items: await alerts.listLinks(ctx.state.user) };
  });
  router.post('/parents', async (ctx) => {
    const body = parseInput(
      z.strictObject({ parentCheckId: idParam, childCheckId: idParam }),
      ctx.request.body,
    );
    ctx.status = 201;
    ctx.body = {
      link: await alerts.createLink(ctx.state.user, body.parentCheckId, body.childCheckId),
    };
  });
  router.delete('/parents/:id', async (ctx) => {
    await alerts.deleteLink(ctx.state.user, parseInput(idParam, ctx.params.id));
    ctx.status = 204;
  });

  router.put('/tickets/:id/priority', async (ctx) => {
    const { priority } = parseInput(
      z.strictObject({ priority: z.enum(['low', 'normal', 'high', 'urgent']) }),
      ctx.request.body,
    );
    await alerts.overridePriority(ctx.state.user, parseInput(idParam, ctx.params.id), priority);
    ctx.status = 204;
  });
  router.get('/agents/:id/outages', async (ctx) => {
    const limit = parseInput(z.coerce.number().int().min(1).max(500).default(50), ctx.query.limit);
    ctx.body = {
      items: await alerts.outages(ctx.state.user, parseInput(idParam, ctx.params.id), limit),
    };
  });
  return router;
}
