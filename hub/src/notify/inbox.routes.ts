import { Router } from '@koa/router';
import { z } from 'zod';
import { defineRoute } from '../http/define.js';
import { notFound } from '../http/errors.js';
import { noBody, timestamp, uuid } from '../http/schemas.js';
import type { AppState } from '../http/request-state.js';
import { INBOX_KINDS } from './inbox.js';
import type { InboxRepository } from './inbox.repository.js';

const tags = ['notifications'];
const notification = z.object({
  id: uuid,
  kind: z.enum(INBOX_KINDS),
  ticketId: uuid.nullable(),
  number: z.number().int(),
  subject: z.string(),
  author: z.string().nullable(),
  state: z.string().nullable(),
  excerpt: z.string().nullable(),
  clock: z.string().nullable(),
  createdAt: timestamp,
  read: z.boolean(),
});
const idParam = z.object({ id: z.uuid() });
const listQuery = z.strictObject({ limit: z.coerce.number().int().min(1).max(200).default(50) });

/** The signed-in person's notification centre (docs/notifications.md "In the app"). */
export function inboxRoutes(inbox: InboxRepository): Router<AppState> {
  const router = new Router<AppState>({ prefix: '/api/v1/notifications' });
  const idOf = (value: string | undefined) => {
    if (!z.uuid().safeParse(value).success)
      throw notFound('BW_ERR_NOT_FOUND', `notification ${value} does not exist`);
    return value!;
  };

  defineRoute(
    router,
    {
      method: 'get',
      path: '/',
      summary: "The person's notifications, newest first, and how many are unread",
      tags,
      query: listQuery,
      responses: {
        200: {
          description: 'Newest first',
          schema: z.object({ items: z.array(notification), unread: z.number().int() }),
        },
      },
    },
    async (ctx, read) => {
      const { items, unread } = await inbox.list(ctx.state.user.id, read.query().limit);
      ctx.body = {
        items: items.map((n) => ({
          id: n.id,
          kind: n.kind,
          ticketId: n.ticketId,
          number: n.data.number,
          subject: n.data.subject,
          author: n.data.author ?? null,
          state: n.data.state ?? null,
          excerpt: n.data.excerpt ?? null,
          clock: n.data.clock ?? null,
          createdAt: n.createdAt,
          read: n.readAt !== null,
        })),
        unread,
      };
    },
  );

  for (const [method, read] of [
    ['put', true],
    ['delete', false],
  ] as const) {
    defineRoute(
      router,
      {
        method,
        path: '/:id/read',
        summary: read ? 'Marks a notification read' : 'Marks a notification unread again',
        tags,
        params: idParam,
        ...(method === 'put' ? { body: noBody } : {}),
        responses: { 204: { description: read ? 'Read' : 'Unread' } },
      },
      async (ctx) => {
        const found = await inbox.mark(ctx.state.user.id, idOf(ctx.params.id), read);
        if (!found)
          throw notFound('BW_ERR_NOT_FOUND', `notification ${ctx.params.id} does not exist`);
        ctx.status = 204;
      },
    );
  }

  defineRoute(
    router,
    {
      method: 'post',
      path: '/read',
      summary: 'Marks every notification of the person read',
      tags,
      body: noBody,
      responses: {
        200: {
          description: 'How many were unread',
          schema: z.object({ marked: z.number().int() }),
        },
      },
    },
    async (ctx, read) => {
      read.body();
      ctx.body = { marked: await inbox.markAll(ctx.state.user.id) };
    },
  );

  return router;
}
