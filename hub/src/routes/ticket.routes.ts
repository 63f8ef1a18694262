import { Readable } from 'node:stream';
import { Router } from '@koa/router';
import { z } from 'zod';
import type { SlaClock, SlaClocks } from '@branchwatch/sla';
import { notFound } from '../errors.js';
import type { AppState } from '../middleware/session.js';
import {
  TICKET_PRIORITIES,
  TICKET_SOURCES,
  TICKET_STATES,
  type Ticket,
  type TicketEvent,
} from '../models/ticket.model.js';
import { TICKET_SORTS } from '../repositories/ticket.repository.js';
import type { TicketConversationService } from '../services/ticket-conversation.service.js';
import type { TicketService } from '../services/ticket.service.js';
import { TICKET_WRITERS, requireRole } from './roles.js';
import { parseInput } from './validate.js';

const list = <T extends string>(values: readonly [T, ...T[]]) =>
  z.preprocess((v) => (typeof v === 'string' ? v.split(',') : v), z.array(z.enum(values)).min(1));

const filterQuery = z.strictObject({
  state: z.union([z.literal('active'), list(TICKET_STATES)]).optional(),
  priority: list(TICKET_PRIORITIES).optional(),
  assignee: z.uuid().optional(),
  group: z.uuid().optional(),
  branch: z.uuid().optional(),
  tag: z.string().min(1).max(100).optional(),
  source: z.enum(TICKET_SOURCES).optional(),
  from: z.iso.datetime({ offset: true }).optional(),
  to: z.iso.datetime({ offset: true }).optional(),
  q: z.string().trim().min(1).max(500).optional(),
  sort: z.enum(TICKET_SORTS).default('opened_at'),
  order: z.enum(['asc', 'desc']).default('desc'),
});
const listQuery = filterQuery.extend({
  limit: z.coerce.number().int().min(1).max(500).default(100),
  offset: z.coerce.number().int().min(0).max(1_000_000).default(0),
});

const tag = z.string().trim().min(1).max(100);
const newTicket = z.strictObject({
  subject: z.string().trim().min(1).max(500),
  body: z.string().min(1).max(100_000),
  priority: z.enum(TICKET_PRIORITIES).default('normal'),
  category: z.string().trim().min(1).max(100).nullable().default(null),
  branchId: z.uuid().nullable().default(null),
  groupId: z.uuid().nullable().default(null),
  assigneeId: z.uuid().nullable().default(null),
});
const ticketChange = z.strictObject({
  state: z.enum(TICKET_STATES).optional(),
  priority: z.enum(TICKET_PRIORITIES).optional(),
  category: z.string().trim().min(1).max(100).nullable().optional(),
  subject: z.string().trim().min(1).max(500).optional(),
  assigneeId: z.uuid().nullable().optional(),
  groupId: z.uuid().nullable().optional(),
  slaPolicyId: z.uuid().nullable().optional(),
});
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

const uuidParam = (value: string | undefined, what = 'ticket') => {
  if (!z.uuid().safeParse(value).success) {
    throw notFound(
      what === 'ticket' ? 'BW_ERR_TICKET_NOT_FOUND' : 'BW_ERR_NOT_FOUND',
      `${what} ${value} does not exist`,
    );
  }
  return value!;
};

const toFilter = (q: z.infer<typeof filterQuery>) => ({
  state: q.state,
  priority: q.priority,
  assigneeId: q.assignee,
  groupId: q.group,
  branchId: q.branch,
  tag: q.tag,
  source: q.source,
  openedFrom: q.from ? new Date(q.from) : undefined,
  openedTo: q.to ? new Date(q.to) : undefined,
  text: q.q,
  sort: q.sort,
  order: q.order,
});

export function ticketRoutes(
  tickets: TicketService,
  conversation: TicketConversationService,
): Router<AppState> {
  const router = new Router<AppState>({ prefix: '/api/v1/tickets' });
  const writer = (ctx: { state: AppState }) => requireRole(ctx.state.user, TICKET_WRITERS);

  router.get('/', async (ctx) => {
    const q = parseInput(listQuery, ctx.query);
    const items = await tickets.list(ctx.state.user, {
      ...toFilter(q),
      limit: q.limit + 1,
      offset: q.offset,
    });
    ctx.body = {
      items: items.slice(0, q.limit).map(ticketView),
      nextOffset: items.length > q.limit ? q.offset + q.limit : null,
    };
  });

  router.get('/export.csv', async (ctx) => {
    const q = parseInput(filterQuery, ctx.query);
    ctx.type = 'text/csv; charset=utf-8';
    ctx.attachment('tickets.csv');
    ctx.body = Readable.from(tickets.exportCsv(ctx.state.user, toFilter(q)));
  });

  router.post('/', async (ctx) => {
    writer(ctx);
    const input = parseInput(newTicket, ctx.request.body);
    ctx.status = 201;
    ctx.body = { ticket: ticketView(await tickets.open(ctx.state.user, input)) };
  });

  router.post('/bulk', async (ctx) => {
    writer(ctx);
    const input = parseInput(bulk, ctx.request.body);
    ctx.body = { results: await tickets.bulk(ctx.state.user, input.ids, input.action) };
  });

  router.get('/:id', async (ctx) => {
    const detail = await tickets.get(uuidParam(ctx.params.id), ctx.state.user.tenantId);
    ctx.body = {
      ticket: ticketView(detail.ticket),
      events: detail.events.map(eventView),
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
  });

  router.patch('/:id', async (ctx) => {
    writer(ctx);
    const change = parseInput(ticketChange, ctx.request.body);
    const ticket = await tickets.change(uuidParam(ctx.params.id), ctx.state.user, change);
    ctx.body = { ticket: ticketView(ticket) };
  });

  router.post('/:id/replies', async (ctx) => {
    writer(ctx);
    const input = parseInput(reply, ctx.request.body);
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
  });

  router.post('/:id/tags', async (ctx) => {
    writer(ctx);
    const input = parseInput(z.strictObject({ tag }), ctx.request.body);
    const added = await tickets.addTag(uuidParam(ctx.params.id), ctx.state.user, input.tag);
    ctx.status = added ? 201 : 200;
    ctx.body = { tag: input.tag, added };
  });

  router.delete('/:id/tags/:tag', async (ctx) => {
    writer(ctx);
    await tickets.removeTag(uuidParam(ctx.params.id), ctx.state.user, ctx.params.tag!);
    ctx.status = 204;
  });

  router.post('/:id/watchers', async (ctx) => {
    writer(ctx);
    const input = parseInput(z.strictObject({ userId: z.uuid() }), ctx.request.body);
    await conversation.addWatcher(uuidParam(ctx.params.id), ctx.state.user, input.userId);
    ctx.status = 204;
  });

  router.delete('/:id/watchers/:userId', async (ctx) => {
    writer(ctx);
    const userId = uuidParam(ctx.params.userId, 'watcher');
    await conversation.removeWatcher(uuidParam(ctx.params.id), ctx.state.user, userId);
    ctx.status = 204;
  });

  router.post('/:id/links', async (ctx) => {
    writer(ctx);
    const input = parseInput(z.strictObject({ ticketId: z.uuid() }), ctx.request.body);
    await conversation.link(uuidParam(ctx.params.id), ctx.state.user, input.ticketId);
    ctx.status = 204;
  });

  router.post('/:id/merge', async (ctx) => {
    writer(ctx);
    const input = parseInput(z.strictObject({ into: z.uuid() }), ctx.request.body);
    await conversation.merge(uuidParam(ctx.params.id), ctx.state.user, input.into);
    ctx.status = 204;
  });

  // The raw body is the file: no multipart parser needed (the JSON body parser skips it).
  router.put('/:id/attachments', async (ctx) => {
    writer(ctx);
    const q = parseInput(attachmentQuery, ctx.query);
    const length = ctx.get('content-length');
    const attachment = await conversation.attach(uuidParam(ctx.params.id), ctx.state.user, {
      name: q.name,
      mimeType: ctx.get('content-type') || 'application/octet-stream',
      content: ctx.req,
      declaredSize: length ? Number(length) : undefined,
    });
    ctx.status = 201;
    ctx.body = {
      attachment: { id: attachment.id, name: attachment.name, size: attachment.size },
    };
  });

  router.get('/:id/attachments/:attachmentId', async (ctx) => {
    const { attachment, content } = await conversation.download(
      uuidParam(ctx.params.id),
      ctx.state.user,
      uuidParam(ctx.params.attachmentId, 'attachment'),
    );
    ctx.type = attachment.mimeType;
    ctx.length = attachment.size;
    // Downloaded, never rendered inline: an uploaded HTML file cannot run in the hub's origin.
    ctx.attachment(attachment.name);
    ctx.set('x-content-type-options', 'nosniff');
    ctx.body = content;
  });

  return router;
}

const ticketView = (t: Ticket) => ({
  id: t.id,
  number: t.number,
  subject: t.subject,
  state: t.state,
  priority: t.priority,
  category: t.category,
  source: t.source,
  branchId: t.branchId,
  agentId: t.agentId,
  checkId: t.checkId,
  assigneeId: t.assigneeId,
  groupId: t.groupId,
  mergedIntoId: t.mergedIntoId,
  openedAt: t.openedAt,
  resolvedAt: t.resolvedAt,
  updatedAt: t.updatedAt,
});

const eventView = (e: TicketEvent & { author: string | null }) => ({
  id: String(e.id),
  at: e.at,
  kind: e.kind,
  visibility: e.visibility,
  body: e.body,
  author: e.author,
  ...(e.field || e.newValue !== null || e.oldValue !== null
    ? { field: e.field, old: e.oldValue, new: e.newValue }
    : {}),
  ...(e.data ? { data: e.data } : {}),
});

const clockView = (c: SlaClock | null) =>
  c && {
    policyId: c.policyId,
    status: c.status,
    targetMs: c.targetMs,
    elapsedMs: c.elapsedMs,
    remainingMs: c.remainingMs,
    deadline: c.deadline,
    paused: c.status === 'paused',
    pausedMs: c.pausedMs,
    warningAt: c.warningAt,
    escalations: c.escalations,
  };

const clocksView = (c: SlaClocks) => ({
  firstResponse: clockView(c.firstResponse),
  resolution: clockView(c.resolution),
});
