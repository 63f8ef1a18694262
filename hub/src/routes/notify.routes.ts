import { Router } from '@koa/router';
import { z } from 'zod';
import type { AppState } from '../middleware/session.js';
import { LANGUAGES, NOTIFY_CHANNELS, NOTIFY_EVENTS } from '../notify/channel.js';
import type { NotifyService } from '../notify/notify.service.js';
import { HELPDESK_ADMINS, requireRole } from './roles.js';
import { parseInput } from './validate.js';

const hhmm = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be HH:mm');
const subscription = z
  .strictObject({
    channel: z.enum(NOTIFY_CHANNELS),
    address: z.string().trim().min(1).max(2000),
    format: z.enum(['json', 'slack', 'teams']).default('json'),
    language: z.enum(LANGUAGES).default('en'),
    events: z.array(z.enum(NOTIFY_EVENTS)).min(1),
    secret: z.string().min(16).max(200).nullable().optional(),
    tenantId: z.uuid().nullable().optional(),
  })
  .refine((s) => s.channel !== 'webhook' || /^https?:\/\//.test(s.address), {
    message: 'a webhook address must be an http(s) URL',
    path: ['address'],
  });
const preferences = z.strictObject({
  language: z.enum(LANGUAGES).default('en'),
  email: z.email().nullable().default(null),
  telegramChatId: z.string().max(64).nullable().default(null),
  telegramUserId: z.string().regex(/^\d+$/).nullable().default(null),
  channels: z.array(z.enum(['email', 'telegram'])).default([]),
  events: z.array(z.enum(NOTIFY_EVENTS)).default([]),
  quietStart: hhmm.nullable().default(null),
  quietEnd: hhmm.nullable().default(null),
  timeZone: z
    .string()
    .refine(
      (tz) => Intl.supportedValuesOf('timeZone').includes(tz) || tz === 'UTC',
      'unknown time zone',
    )
    .default('UTC'),
});
const deliveryQuery = z.object({
  status: z.enum(['pending', 'sent', 'dead']).optional(),
  limit: z.coerce.number().int().positive().max(500).default(100),
});

/** Notification subscriptions, own preferences, and the delivery log (docs/notifications.md). */
export function notifyRoutes(notify: NotifyService): Router<AppState> {
  const router = new Router<AppState>({ prefix: '/api/v1/notify' });

  router.get('/preferences', async (ctx) => {
    ctx.body = { preferences: await notify.preferences(ctx.state.user) };
  });
  router.put('/preferences', async (ctx) => {
    const input = parseInput(preferences, ctx.request.body);
    ctx.body = { preferences: await notify.savePreferences(ctx.state.user, input) };
  });

  router.use((ctx, next) => {
    if (!ctx.path.endsWith('/preferences')) requireRole(ctx.state.user, HELPDESK_ADMINS);
    return next();
  });
  router.get('/subscriptions', async (ctx) => {
    ctx.body = { items: await notify.subscriptions(ctx.state.user) };
  });
  router.post('/subscriptions', async (ctx) => {
    const input = parseInput(subscription, ctx.request.body);
    ctx.body = { subscription: await notify.subscribe(ctx.state.user, input) };
    ctx.status = 201;
  });
  router.delete('/subscriptions/:id', async (ctx) => {
    await notify.unsubscribe(ctx.state.user, parseInput(z.uuid(), ctx.params.id));
    ctx.status = 204;
  });
  router.get('/deliveries', async (ctx) => {
    const q = parseInput(deliveryQuery, ctx.query);
    ctx.body = { items: await notify.deliveries(ctx.state.user, q.status, q.limit) };
  });
  router.post('/deliveries/:id/resend', async (ctx) => {
    await notify.resend(ctx.state.user, parseInput(z.string().regex(/^\d+$/), ctx.params.id));
    ctx.status = 202;
  });
  return router;
}
