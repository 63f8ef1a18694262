import { PERSONAL_CHANNELS, SUBSCRIPTION_CHANNELS, WEBHOOK_FORMATS } from '@branchwatch/api';
import { Router } from '@koa/router';
import { z } from 'zod';
import { LANGUAGES, NOTIFY_CHANNELS, NOTIFY_EVENTS } from './channel.js';
import { TEST_FAILURES } from './channel-test.js';
import type { NotifyService } from './notify.service.js';
import { defineRoute } from '../http/define.js';
import { fileContent, itemsOf, noBody } from '../http/schemas.js';
import {
  deliveryAnswer,
  deliveryCounts,
  preferencesAnswer,
  subscriptionAnswer,
  telegramLinkAnswer,
} from './notify.schemas.js';
import { parseInput } from '../http/validate.js';
import { requireSessionLogin } from '../identity/auth.routes.js';
import type { AppState } from '../http/request-state.js';

const hhmm = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be HH:mm');
const subscription = z
  .strictObject({
    channel: z.enum(SUBSCRIPTION_CHANNELS),
    address: z.string().trim().min(1).max(2000),
    format: z.enum(WEBHOOK_FORMATS).default('json'),
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
  channels: z.array(z.enum(PERSONAL_CHANNELS)).default([]),
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
  /** `retrying`: pending deliveries that have failed at least once. */
  status: z.enum(['pending', 'retrying', 'sent', 'dead']).optional(),
  channel: z.enum(NOTIFY_CHANNELS).optional(),
  limit: z.coerce.number().int().positive().max(500).default(100),
});

const idParams = z.object({ id: z.uuid() });
const testOutcome = z.discriminatedUnion('delivered', [
  z.object({ delivered: z.literal(true), detail: z.string().nullable() }),
  z.object({
    delivered: z.literal(false),
    reason: z.enum(TEST_FAILURES),
    error: z.string(),
    status: z.number().int().nullable(),
  }),
]);
// A bigint key: at most 19 digits and no more than PostgreSQL's bigint holds (a larger number
// is no delivery, not a database error).
const deliveryId = z
  .string()
  .regex(/^\d{1,19}$/, 'not a delivery number')
  .refine((id) => !/^\d+$/.test(id) || BigInt(id) <= 9223372036854775807n, 'not a delivery number');
const tags = ['notify'];

/**
 * Notification subscriptions, own preferences, and the delivery log (docs/notifications.md).
 * Who may manage subscriptions is the route table's (identity/route-permissions.ts).
 */
export function notifyRoutes(notify: NotifyService): Router<AppState> {
  const router = new Router<AppState>({ prefix: '/api/v1/notify' });

  defineRoute(
    router,
    {
      method: 'get',
      path: '/preferences',
      summary: "The user's own notification preferences",
      tags,
      responses: {
        200: {
          description: 'The preferences; `stored` is false while the user has saved none',
          schema: z.object({
            preferences: preferencesAnswer.extend({ stored: z.boolean() }),
          }),
        },
      },
    },
    async (ctx) => {
      ctx.body = { preferences: await notify.preferences(ctx.state.user) };
    },
  );
  defineRoute(
    router,
    {
      method: 'put',
      path: '/preferences',
      summary: "Saves the user's own notification preferences",
      tags,
      body: preferences,
      responses: {
        200: { description: 'As saved', schema: z.object({ preferences: preferencesAnswer }) },
      },
    },
    async (ctx, read) => {
      const input = read.body();
      ctx.body = { preferences: await notify.savePreferences(ctx.state.user, input) };
    },
  );

  defineRoute(
    router,
    {
      method: 'post',
      path: '/telegram/link',
      summary: 'A one-time code that links a Telegram account: send `/link CODE` to the bot',
      tags,
      body: noBody,
      responses: {
        201: {
          description: 'The code, the message to send the bot, and when the code expires',
          schema: z.object({ link: telegramLinkAnswer }),
        },
      },
    },
    async (ctx) => {
      // The bot acts with the person's full permissions: an API token, limited to its scopes,
      // may not link an account (docs/security.md "Telegram linking").
      requireSessionLogin(ctx);
      ctx.body = { link: await notify.telegramLinkCode(ctx.state.user) };
      ctx.status = 201;
    },
  );
  defineRoute(
    router,
    {
      method: 'delete',
      path: '/telegram/link',
      summary: 'Unlinks the Telegram account: its commands and notifications stop',
      tags,
      responses: { 204: { description: 'Unlinked' } },
    },
    async (ctx) => {
      await notify.unlinkTelegram(ctx.state.user);
      ctx.status = 204;
    },
  );

  defineRoute(
    router,
    {
      method: 'get',
      path: '/subscriptions',
      summary: "The tenant's notification subscriptions",
      tags,
      responses: {
        200: { description: 'The subscriptions', schema: itemsOf(subscriptionAnswer) },
      },
    },
    async (ctx) => {
      ctx.body = { items: await notify.subscriptions(ctx.state.user) };
    },
  );
  defineRoute(
    router,
    {
      method: 'post',
      path: '/subscriptions',
      summary: 'Subscribes a webhook, mail address or Telegram chat to events',
      tags,
      body: subscription,
      responses: {
        201: {
          description: "The subscription; a webhook's signing secret is shown this once",
          schema: z.object({
            subscription: subscriptionAnswer.extend({ secret: z.string().nullable() }),
          }),
        },
      },
    },
    async (ctx, read) => {
      const input = read.body();
      ctx.body = { subscription: await notify.subscribe(ctx.state.user, input) };
      ctx.status = 201;
    },
  );
  defineRoute(
    router,
    {
      method: 'post',
      path: '/subscriptions/:id/test',
      summary: "Sends a test message through the subscription's channel now, and says how it went",
      tags,
      params: idParams,
      body: noBody,
      responses: {
        200: {
          description:
            'Delivered (with what the receiver answered), or why not: `reason` in words a person can act on, `error` as the sender gave it',
          schema: z.object({ result: testOutcome }),
        },
        429: {
          description:
            'Too many tests: at most 3 a minute per channel and 10 in 10 minutes per person; `Retry-After` and `details.retryAfterSeconds` say when the next may go, `details.limit` which limit it was',
        },
      },
    },
    async (ctx) => {
      const id = parseInput(z.uuid(), ctx.params.id);
      ctx.body = { result: await notify.testSubscription(ctx.state.user, id) };
    },
  );
  defineRoute(
    router,
    {
      method: 'delete',
      path: '/subscriptions/:id',
      summary: 'Removes a subscription',
      tags,
      params: idParams,
      responses: { 204: { description: 'Removed' } },
    },
    async (ctx) => {
      await notify.unsubscribe(ctx.state.user, parseInput(z.uuid(), ctx.params.id));
      ctx.status = 204;
    },
  );
  defineRoute(
    router,
    {
      method: 'get',
      path: '/deliveries',
      summary: 'The delivery log, newest first',
      tags,
      query: deliveryQuery,
      responses: {
        200: {
          description: 'The deliveries, and how many each channel has in each state',
          schema: itemsOf(deliveryAnswer).extend({ counts: deliveryCounts }),
        },
      },
    },
    async (ctx, read) => {
      const q = read.query();
      ctx.body = {
        items: await notify.deliveries(ctx.state.user, q.status, q.limit, q.channel),
        counts: await notify.deliveryCounts(ctx.state.user),
      };
    },
  );
  defineRoute(
    router,
    {
      method: 'get',
      path: '/deliveries/:id/attachments/:index',
      summary: "One file of a delivery (a scheduled report's PDF, say), as it was attached",
      tags,
      params: z.object({ id: deliveryId, index: z.coerce.number().int().min(0).max(20) }),
      responses: {
        200: {
          description: 'The file',
          contentType: 'application/octet-stream',
          schema: fileContent,
        },
      },
    },
    async (ctx) => {
      const file = await notify.deliveryAttachment(
        ctx.state.user,
        parseInput(deliveryId, ctx.params.id),
        parseInput(z.coerce.number().int().min(0).max(20), ctx.params.index),
      );
      ctx.type = file.contentType;
      ctx.attachment(file.filename);
      ctx.body = file.body;
    },
  );
  defineRoute(
    router,
    {
      method: 'post',
      path: '/deliveries/:id/resend',
      summary: 'Queues a delivery (a dead letter, say) to be sent again',
      tags,
      params: z.object({ id: deliveryId }),
      body: noBody,
      responses: {
        // Koa writes the status text when a handler sets no body.
        202: { description: 'Queued', contentType: 'text/plain', schema: z.literal('Accepted') },
      },
    },
    async (ctx) => {
      await notify.resend(ctx.state.user, parseInput(deliveryId, ctx.params.id));
      ctx.status = 202;
    },
  );
  return router;
}
