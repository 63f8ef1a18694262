import { Router } from '@koa/router';
import { z } from 'zod';
import { defineRoute } from '../../http/define.js';
import { notFound } from '../../http/errors.js';
import { timestamp, uuid } from '../../http/schemas.js';
import type { AppState } from '../../http/request-state.js';
import type { PushService } from './push.service.js';

const tags = ['notify'];
const base64url = (bytes: number, what: string) =>
  z
    .string()
    .regex(/^[A-Za-z0-9_-]+=*$/, `${what} must be base64url`)
    .refine((v) => Buffer.from(v, 'base64url').length === bytes, `${what} must be ${bytes} bytes`);
// The Push API's PushSubscription.toJSON(): its endpoint and keys (RFC 8291 §3).
const subscriptionBody = z.object({
  endpoint: z
    .string()
    .max(2000)
    .url()
    .refine((u) => /^https?:\/\//.test(u), 'must be an http(s) URL'),
  expirationTime: z.number().nullable().optional(),
  keys: z.object({
    p256dh: base64url(65, 'p256dh').refine(
      (v) => Buffer.from(v, 'base64url')[0] === 4,
      'p256dh must be an uncompressed P-256 point',
    ),
    auth: base64url(16, 'auth'),
  }),
});
const subscriptionAnswer = z.object({ id: uuid, endpoint: z.string(), createdAt: timestamp });
const idParam = z.object({ id: z.string() });

/** A person's web push subscriptions (docs/notifications.md "Push to the browser"). */
export function pushRoutes(push: PushService): Router<AppState> {
  const router = new Router<AppState>({ prefix: '/api/v1/notify/push' });

  defineRoute(
    router,
    {
      method: 'get',
      path: '/',
      summary: "The hub's push key and the person's own browsers subscribed to push",
      tags,
      responses: {
        200: {
          description: '`publicKey` is the VAPID key (RFC 8292) to subscribe with',
          schema: z.object({
            publicKey: z.string(),
            subscriptions: z.array(subscriptionAnswer),
          }),
        },
      },
    },
    async (ctx) => {
      ctx.body = await push.state(ctx.state.user);
    },
  );

  defineRoute(
    router,
    {
      method: 'put',
      path: '/subscriptions',
      summary: "Stores this browser's push subscription for the person",
      tags,
      body: subscriptionBody,
      responses: {
        200: { description: 'Stored', schema: z.object({ subscription: subscriptionAnswer }) },
      },
    },
    async (ctx, read) => {
      ctx.body = { subscription: await push.subscribe(ctx.state.user, read.body()) };
    },
  );

  defineRoute(
    router,
    {
      method: 'delete',
      path: '/subscriptions/:id',
      summary: 'Removes one of the person’s push subscriptions',
      tags,
      params: idParam,
      responses: { 204: { description: 'Removed' } },
    },
    async (ctx) => {
      const id = ctx.params.id;
      if (!z.uuid().safeParse(id).success)
        throw notFound('BW_ERR_NOT_FOUND', `push subscription ${id} does not exist`);
      await push.unsubscribe(ctx.state.user, id!);
      ctx.status = 204;
    },
  );

  return router;
}
