import fs from 'node:fs';
import { Readable } from 'node:stream';
import { Router } from '@koa/router';
import type Koa from 'koa';
import { z } from 'zod';
import { notFound } from '../http/errors.js';
import type { TicketConversationService } from './ticket-conversation.service.js';
import type { TicketService } from './ticket.service.js';
import { defineRoute } from '../http/define.js';
import { csvText, fileContent } from '../http/schemas.js';
import {
  attachmentAnswer,
  bulkResults,
  replyAnswer,
  tagAnswer,
  ticketAnswer,
  ticketDetail,
  filterQuery,
  ticketPage,
  toFilter,
} from './ticket.schemas.js';
import { clocksView, eventView, ticketView } from './ticket.views.js';
import type { AppState } from '../http/request-state.js';
import { TICKET_PRIORITIES, TICKET_STATES } from '@branchwatch/api';

const listQuery = filterQuery.extend({
  limit: z.coerce.number().int().min(1).max(500).default(100),
  offset: z.coerce.number().int().min(0).max(1_000_000).default(0),
});

const tag = z.string().trim().min(1).max(100);
/** Blank is no value: a form's emptied field clears it. */
const optionalText = (max: number) =>
  z
    .string()
    .trim()
    .max(max)
    .nullable()
    .transform((v) => (v === '' ? null : v));
const newTicket = z.strictObject({
  subject: z.string().trim().min(1).max(500),
  body: z.string().min(1).max(100_000),
  priority: z.enum(TICKET_PRIORITIES).default('normal'),
  category: z.string().trim().min(1).max(100).nullable().default(null),
  branchId: z.uuid().nullable().default(null),
  groupId: z.uuid().nullable().default(null),
  assigneeId: z.uuid().nullable().default(null),
  requesterName: optionalText(200).default(null),
  requesterContact: optionalText(200).default(null),
});
const ticketChange = z.strictObject({
  state: z.enum(TICKET_STATES).optional(),
  priority: z.enum(TICKET_PRIORITIES).optional(),
  category: z.string().trim().min(1).max(100).nullable().optional(),
  subject: z.string().trim().min(1).max(500).optional(),
  assigneeId: z.uuid().nullable().optional(),
  groupId: z.uuid().nullable().optional(),
  slaPolicyId: z.uuid().nullable().optional(),
  requesterName: optionalText(200).optional(),
  requesterContact: optionalText(200).optional(),
  reason: z
    .string()
    .trim()
    .min(1)
    .max(2000)
    .optional()
    .describe('Why an alert ticket ends while its alert still fails (else 409)'),
});
/**
 * `If-Match: "<version>"` (RFC 9110 §13.1.1): the change applies only to that version. A weak
 * tag is compared the same way (the version is the whole representation's); `*` matches any.
 */
const changeHeaders = z.object({
  'if-match': z
    .string()
    .regex(/^\s*(\*|(W\/)?"\d+")\s*$/, 'a version in quotes, as ETag gave it: "3"')
    .optional()
    .describe('The ETag of the ticket the change is meant for; 412 when it changed since'),
});
const etagOf = (version: number) => `"${version}"`;
const expectedVersion = (header: string | undefined) => {
  const digits = header && /"(\d+)"/.exec(header)?.[1];
  return digits ? Number(digits) : undefined;
};
const bulk = z.strictObject({
  ids: z.array(z.uuid()).min(1).max(500),
  action: z.discriminatedUnion('action', [
    z.strictObject({
      action: z.literal('assign'),
      assigneeId: z.uuid().nullable().optional(),
      groupId: z.uuid().nullable().optional(),
    }),
    z.strictObject({ action: z.literal('state'), state: z.enum(TICKET_STATES) }),
    z.strictObject({ action: z.literal('tag'), tag }),
  ]),
});
const reply = z.strictObject({
  body: z.string().max(100_000).optional(),
  cannedReplyId: z.uuid().optional(),
  visibility: z.enum(['public', 'internal']).default('public'),
});
const attachmentQuery = z.strictObject({ name: z.string().trim().min(1).max(255) });
const tagBody = z.strictObject({ tag });
const watcherBody = z.strictObject({ userId: z.uuid() });
const linkBody = z.strictObject({ ticketId: z.uuid() });
const mergeBody = z.strictObject({ into: z.uuid() });
const ticketId = z.object({ id: z.uuid() });

const uuidParam = (value: string | undefined, what = 'ticket') => {
  if (!z.uuid().safeParse(value).success) {
    throw notFound(
      what === 'ticket' ? 'BW_ERR_TICKET_NOT_FOUND' : 'BW_ERR_NOT_FOUND',
      `${what} ${value} does not exist`,
    );
  }
  return value!;
};

/** The file of an upload route, received before the transaction began (http/staged-upload.ts). */
export function stagedFile(ctx: Koa.ParameterizedContext<AppState>, name: string) {
  const staged = ctx.state.upload;
  if (!staged) throw new Error('an upload route ran without its staged body');
  return {
    name,
    mimeType: ctx.get('content-type') || 'application/octet-stream',
    source: { open: () => fs.createReadStream(staged.path), declaredSize: staged.size },
  };
}

export const attachmentAnswerOf = (a: { id: string; name: string; size: number }) => ({
  attachment: { id: a.id, name: a.name, size: a.size },
});

/** Answers with an attachment's file: always a download, never rendered inline. */
export function sendAttachment(
  ctx: Koa.Context,
  attachment: { name: string; mimeType: string; size: number },
  content: unknown,
) {
  ctx.type = attachment.mimeType;
  ctx.length = attachment.size;
  // An uploaded HTML file cannot run in the hub's origin.
  ctx.attachment(attachment.name);
  ctx.set('x-content-type-options', 'nosniff');
  ctx.body = content;
}

export function ticketRoutes(
  tickets: TicketService,
  conversation: TicketConversationService,
): Router<AppState> {
  const router = new Router<AppState>({ prefix: '/api/v1/tickets' });

  defineRoute(
    router,
    {
      method: 'get',
      path: '/',
      summary: 'The ticket queue: filtered, sorted, one page',
      tags: ['tickets'],
      query: listQuery,
      responses: {
        200: {
          description: 'One page of tickets; nextOffset is null on the last page',
          schema: ticketPage,
        },
      },
    },
    async (ctx, read) => {
      const q = read.query();
      const items = await tickets.list(ctx.state.user, {
        ...toFilter(q),
        limit: q.limit + 1,
        offset: q.offset,
      });
      const page = items.slice(0, q.limit);
      const due = await tickets.dueOf(page);
      ctx.body = {
        items: page.map((t) => ({ ...ticketView(t), due: due.get(t.id) ?? null })),
        nextOffset: items.length > q.limit ? q.offset + q.limit : null,
      };
    },
  );

  defineRoute(
    router,
    {
      method: 'get',
      path: '/export.csv',
      summary: 'The filtered tickets as CSV',
      tags: ['tickets'],
      query: filterQuery,
      responses: { 200: { description: 'RFC 4180 CSV', contentType: 'text/csv', schema: csvText } },
    },
    async (ctx, read) => {
      const q = read.query();
      ctx.type = 'text/csv; charset=utf-8';
      ctx.attachment('tickets.csv');
      ctx.body = Readable.from(tickets.exportCsv(ctx.state.user, toFilter(q), ctx.state.inScope));
    },
  );

  defineRoute(
    router,
    {
      method: 'post',
      path: '/',
      summary: 'Opens a ticket',
      tags: ['tickets'],
      body: newTicket,
      responses: {
        201: { description: 'The new ticket', schema: z.object({ ticket: ticketAnswer }) },
      },
    },
    async (ctx, read) => {
      const input = read.body();
      ctx.status = 201;
      ctx.body = {
        ticket: ticketView(await tickets.open(ctx.state.user, input, ctx.state.access.branchIds)),
      };
    },
  );

  defineRoute(
    router,
    {
      method: 'post',
      path: '/bulk',
      summary: 'Assigns, changes the state of or tags many tickets',
      tags: ['tickets'],
      body: bulk,
      responses: { 200: { description: 'One result per ticket', schema: bulkResults } },
    },
    async (ctx, read) => {
      const input = read.body();
      ctx.body = { results: await tickets.bulk(ctx.state.user, input.ids, input.action) };
    },
  );

  defineRoute(
    router,
    {
      method: 'get',
      path: '/:id',
      summary:
        'A ticket with its history, tags, watchers, links, attachments and SLA clocks; its ' +
        'version is the ETag',
      tags: ['tickets'],
      params: ticketId,
      responses: { 200: { description: 'The ticket and all about it', schema: ticketDetail } },
    },
    async (ctx) => {
      const detail = await tickets.get(uuidParam(ctx.params.id), ctx.state.user.tenantId);
      ctx.set('etag', etagOf(detail.ticket.version));
      ctx.body = {
        ticket: ticketView(detail.ticket),
        events: detail.events.map((e) => eventView(e, detail.labels)),
        tags: detail.tags,
        watchers: detail.watchers.map((w) => ({ id: w.id, username: w.username })),
        links: detail.links,
        attachments: detail.attachments.map((a) => ({
          id: a.id,
          name: a.name,
          mimeType: a.mimeType,
          size: a.size,
          createdAt: a.createdAt,
        })),
        clocks: clocksView(detail.clocks),
      };
    },
  );

  defineRoute(
    router,
    {
      method: 'delete',
      path: '/:id',
      summary: 'Deletes a ticket and its history for good (audited as ticket.deleted)',
      tags: ['tickets'],
      params: ticketId,
      responses: { 204: { description: 'Deleted' } },
    },
    async (ctx) => {
      await tickets.remove(uuidParam(ctx.params.id), ctx.state.user);
      ctx.status = 204;
    },
  );

  defineRoute(
    router,
    {
      method: 'patch',
      path: '/:id',
      summary:
        'Changes a ticket (state, priority, assignment, requester, …); with If-Match only the ' +
        'version it names',
      tags: ['tickets'],
      params: ticketId,
      headers: changeHeaders,
      body: ticketChange,
      responses: {
        200: { description: 'The changed ticket', schema: z.object({ ticket: ticketAnswer }) },
        409: {
          description:
            'BW_ERR_TICKET_TRANSITION (the workflow forbids it) or BW_ERR_ALERT_STILL_FAILING ' +
            '(an alert ticket ended while its alert fails, without a reason)',
        },
        412: {
          description:
            'BW_ERR_TICKET_CHANGED: the ticket is no longer at the If-Match version; details ' +
            'hold `version` and the `ticket` as it is now',
        },
      },
    },
    async (ctx, read) => {
      const headers = read.headers() as z.infer<typeof changeHeaders>;
      const change = read.body();
      const ticket = await tickets.change(uuidParam(ctx.params.id), ctx.state.user, change, {
        expectedVersion: expectedVersion(headers['if-match']),
      });
      ctx.set('etag', etagOf(ticket.version));
      ctx.body = { ticket: ticketView(ticket) };
    },
  );

  defineRoute(
    router,
    {
      method: 'post',
      path: '/:id/replies',
      summary: 'Replies to a ticket (public or internal)',
      tags: ['tickets'],
      params: ticketId,
      body: reply,
      responses: {
        201: { description: 'The reply event and who was mentioned', schema: replyAnswer },
      },
    },
    async (ctx, read) => {
      const input = read.body();
      const { event, mentioned } = await conversation.reply(
        uuidParam(ctx.params.id),
        ctx.state.user,
        input,
      );
      ctx.status = 201;
      ctx.body = {
        event: eventView({ ...event, author: ctx.state.user.username } as never),
        mentioned,
      };
    },
  );

  defineRoute(
    router,
    {
      method: 'post',
      path: '/:id/tags',
      summary: 'Tags a ticket',
      tags: ['tickets'],
      params: ticketId,
      body: tagBody,
      responses: {
        201: { description: 'Tag added', schema: tagAnswer },
        200: { description: 'Tag was already there', schema: tagAnswer },
      },
    },
    async (ctx, read) => {
      const input = read.body();
      const added = await tickets.addTag(uuidParam(ctx.params.id), ctx.state.user, input.tag);
      ctx.status = added ? 201 : 200;
      ctx.body = { tag: input.tag, added };
    },
  );

  defineRoute(
    router,
    {
      method: 'delete',
      path: '/:id/tags/:tag',
      summary: 'Removes a tag',
      tags: ['tickets'],
      params: z.object({ id: z.uuid(), tag }),
      responses: { 204: { description: 'Removed' } },
    },
    async (ctx) => {
      await tickets.removeTag(uuidParam(ctx.params.id), ctx.state.user, ctx.params.tag!);
      ctx.status = 204;
    },
  );

  defineRoute(
    router,
    {
      method: 'post',
      path: '/:id/watchers',
      summary: 'Adds a watcher',
      tags: ['tickets'],
      params: ticketId,
      body: watcherBody,
      responses: { 204: { description: 'Added' } },
    },
    async (ctx, read) => {
      const input = read.body();
      await conversation.addWatcher(uuidParam(ctx.params.id), ctx.state.user, input.userId);
      ctx.status = 204;
    },
  );

  defineRoute(
    router,
    {
      method: 'delete',
      path: '/:id/watchers/:userId',
      summary: 'Removes a watcher',
      tags: ['tickets'],
      params: z.object({ id: z.uuid(), userId: z.uuid() }),
      responses: { 204: { description: 'Removed' } },
    },
    async (ctx) => {
      const userId = uuidParam(ctx.params.userId, 'watcher');
      await conversation.removeWatcher(uuidParam(ctx.params.id), ctx.state.user, userId);
      ctx.status = 204;
    },
  );

  defineRoute(
    router,
    {
      method: 'post',
      path: '/:id/links',
      summary: 'Links two tickets',
      tags: ['tickets'],
      params: ticketId,
      body: linkBody,
      responses: { 204: { description: 'Linked' } },
    },
    async (ctx, read) => {
      const input = read.body();
      await conversation.link(uuidParam(ctx.params.id), ctx.state.user, input.ticketId);
      ctx.status = 204;
    },
  );

  defineRoute(
    router,
    {
      method: 'post',
      path: '/:id/merge',
      summary: 'Merges this ticket into another',
      tags: ['tickets'],
      params: ticketId,
      body: mergeBody,
      responses: { 204: { description: 'Merged' } },
    },
    async (ctx, read) => {
      const input = read.body();
      await conversation.merge(uuidParam(ctx.params.id), ctx.state.user, input.into);
      ctx.status = 204;
    },
  );

  // The raw body is the file: no multipart parser needed (the JSON body parser skips it).
  defineRoute(
    router,
    {
      method: 'put',
      path: '/:id/attachments',
      summary: 'Uploads an attachment: the raw request body is the file',
      tags: ['tickets'],
      params: ticketId,
      query: attachmentQuery,
      rawBody: {
        contentType: 'application/octet-stream',
        description: "The file; its Content-Type is stored as the attachment's type",
        malwareScan: true,
      },
      responses: { 201: { description: 'The stored attachment', schema: attachmentAnswer } },
    },
    async (ctx, read) => {
      const file = stagedFile(ctx, read.query().name);
      const attachment = await conversation.attach(uuidParam(ctx.params.id), ctx.state.user, file);
      ctx.status = 201;
      ctx.body = attachmentAnswerOf(attachment);
    },
  );

  defineRoute(
    router,
    {
      method: 'get',
      path: '/:id/attachments/:attachmentId',
      summary: 'Downloads an attachment',
      tags: ['tickets'],
      params: z.object({ id: z.uuid(), attachmentId: z.uuid() }),
      responses: {
        200: {
          description: 'The file, as an attachment, with the type it was uploaded with',
          contentType: 'application/octet-stream',
          schema: fileContent,
        },
      },
    },
    async (ctx) => {
      const { attachment, content } = await conversation.download(
        uuidParam(ctx.params.id),
        ctx.state.user,
        uuidParam(ctx.params.attachmentId, 'attachment'),
      );
      sendAttachment(ctx, attachment, content);
    },
  );

  return router;
}
