import { Readable } from 'node:stream';
import { Router } from '@koa/router';
import { z } from 'zod';
import { defineRoute } from '../http/define.js';
import { notFound } from '../http/errors.js';
import { csvText, fileContent } from '../http/schemas.js';
import { attachmentAnswer, replyAnswer } from '../helpdesk/ticket.schemas.js';
import { attachmentAnswerOf, sendAttachment, stagedFile } from '../helpdesk/ticket.routes.js';
import { eventView } from '../helpdesk/ticket.views.js';
import type { AppState } from '../http/request-state.js';
import type { PortalService } from './portal.service.js';
import {
  knownIncidents,
  portalTicket,
  portalTicketDetail,
  portalTicketList,
  portalTicketView,
  ratingAnswer,
} from './portal.schemas.js';

const ticketId = z.object({ id: z.uuid() });
/** A malformed id names nothing: 404, as for an id that does not exist. */
const idParam = (value: string | undefined, what: 'ticket' | 'attachment' = 'ticket') => {
  if (!z.uuid().safeParse(value).success)
    throw what === 'ticket'
      ? notFound('BW_ERR_TICKET_NOT_FOUND', `ticket ${value} does not exist`)
      : notFound('BW_ERR_NOT_FOUND', `attachment ${value} does not exist`);
  return value!;
};
const newTicket = z.strictObject({
  subject: z.string().trim().min(1).max(500),
  body: z.string().trim().min(1).max(100_000),
  category: z.string().trim().min(1).max(100).nullable().default(null),
  branchId: z.uuid(),
});
const reply = z.strictObject({ body: z.string().trim().min(1).max(100_000) });
/**
 * A reply (or a photo) written offline is sent with a key of its own until an answer comes
 * back (draft-ietf-httpapi-idempotency-key-header): the same key stores it once.
 */
const replyHeaders = z.object({
  'idempotency-key': z
    .string()
    .regex(/^[\x21-\x7e]{8,128}$/, 'Idempotency-Key: 8 to 128 visible ASCII characters')
    .optional(),
});
const reopen = z.strictObject({ body: z.string().trim().min(1).max(100_000).optional() });
const rating = z.strictObject({
  score: z.number().int().min(1).max(5),
  comment: z
    .string()
    .trim()
    .max(5000)
    .nullable()
    .default(null)
    .transform((v) => v || null),
});
const attachmentQuery = z.strictObject({ name: z.string().trim().min(1).max(255) });

/** The requester portal's API (docs/requesters.md); every route needs `portal.use`. */
export function portalRoutes(portal: PortalService): Router<AppState> {
  const router = new Router<AppState>({ prefix: '/api/v1/portal' });
  const reachOf = (ctx: { state: AppState }) => portal.reachOf(ctx.state.user, ctx.state.access);

  const tourAnswer = z.object({
    tour: z.object({ done: z.boolean().describe('finished or skipped: not shown again') }),
  });
  defineRoute(
    router,
    {
      method: 'get',
      path: '/tour',
      summary: 'Whether the person has finished or skipped the first-visit tour',
      tags: ['portal'],
      responses: { 200: { description: 'The tour', schema: tourAnswer } },
    },
    async (ctx) => {
      ctx.body = { tour: await portal.tour(ctx.state.user) };
    },
  );

  defineRoute(
    router,
    {
      method: 'put',
      path: '/tour',
      summary: 'Marks the tour done (finished, skipped) or to be shown again',
      tags: ['portal'],
      body: z.strictObject({ done: z.boolean() }),
      responses: { 200: { description: 'As saved', schema: tourAnswer } },
    },
    async (ctx, read) => {
      ctx.body = { tour: await portal.setTour(ctx.state.user, read.body().done) };
    },
  );

  defineRoute(
    router,
    {
      method: 'get',
      path: '/incidents',
      summary: "What is already known at the person's branches: active alert tickets",
      tags: ['portal'],
      responses: { 200: { description: 'Known incidents, newest first', schema: knownIncidents } },
    },
    async (ctx) => {
      const known = await portal.knownIncidents(ctx.state.user);
      ctx.body = {
        items: known.map(({ ticket, branchName, followed }) => ({
          ...portalTicketView(ticket, branchName),
          beingWorkedOn:
            ticket.state !== 'open' || ticket.assigneeId !== null || ticket.groupId !== null,
          followed,
        })),
      };
    },
  );

  defineRoute(
    router,
    {
      method: 'get',
      path: '/tickets',
      summary: "The person's tickets: their own and followed ones (or their branches')",
      tags: ['portal'],
      responses: { 200: { description: 'Newest activity first', schema: portalTicketList } },
    },
    async (ctx) => {
      const items = await portal.list(reachOf(ctx));
      ctx.body = {
        items: items.map(({ ticket, branchName, rating }) => ({
          ...portalTicketView(ticket, branchName),
          rating,
        })),
      };
    },
  );

  defineRoute(
    router,
    {
      method: 'get',
      path: '/tickets.csv',
      summary: "The person's portal tickets as CSV",
      tags: ['portal'],
      responses: { 200: { description: 'RFC 4180 CSV', contentType: 'text/csv', schema: csvText } },
    },
    async (ctx) => {
      const reach = reachOf(ctx);
      ctx.type = 'text/csv; charset=utf-8';
      ctx.attachment('my-tickets.csv');
      // Read inside the request's scope, then streamed (the list is bounded).
      const lines: string[] = [];
      for await (const line of portal.exportCsv(reach)) lines.push(line);
      ctx.body = Readable.from(lines);
    },
  );

  defineRoute(
    router,
    {
      method: 'post',
      path: '/tickets',
      summary: 'Files a ticket for one of the person’s branches',
      tags: ['portal'],
      body: newTicket,
      responses: {
        201: { description: 'The new ticket', schema: z.object({ ticket: portalTicket }) },
      },
    },
    async (ctx, read) => {
      const ticket = await portal.open(ctx.state.user, ctx.state.access, read.body());
      ctx.status = 201;
      ctx.body = { ticket: portalTicketView(ticket, null) };
    },
  );

  defineRoute(
    router,
    {
      method: 'get',
      path: '/tickets/:id',
      summary: 'One ticket: its public conversation, attachments and rating',
      tags: ['portal'],
      params: ticketId,
      responses: { 200: { description: 'The ticket', schema: portalTicketDetail } },
    },
    async (ctx) => {
      const detail = await portal.get(idParam(ctx.params.id), reachOf(ctx));
      ctx.body = {
        ticket: portalTicketView(detail.ticket, detail.branchName),
        events: detail.events.map((e) => eventView(e)),
        attachments: detail.attachments,
        rating: detail.rating
          ? {
              score: detail.rating.score,
              comment: detail.rating.comment,
              ratedAt: detail.rating.ratedAt,
            }
          : null,
        followed: detail.followed,
        reopenUntil: detail.reopenUntil,
      };
    },
  );

  defineRoute(
    router,
    {
      method: 'post',
      path: '/tickets/:id/replies',
      summary: 'Replies on a ticket (always public)',
      tags: ['portal'],
      params: ticketId,
      headers: replyHeaders,
      body: reply,
      responses: {
        201: { description: 'The reply', schema: replyAnswer },
        200: {
          description: 'The reply stored earlier with the same Idempotency-Key; nothing changed',
          schema: replyAnswer,
        },
      },
    },
    async (ctx, read) => {
      const { event, mentioned, repeated } = await portal.reply(
        idParam(ctx.params.id),
        ctx.state.user,
        reachOf(ctx),
        read.body().body,
        read.headers()['idempotency-key'] as string | undefined,
      );
      ctx.status = repeated ? 200 : 201;
      ctx.body = {
        event: eventView({ ...event, author: ctx.state.user.username } as never),
        mentioned,
      };
    },
  );

  defineRoute(
    router,
    {
      method: 'put',
      path: '/tickets/:id/follow',
      summary: 'Follows a known incident or a ticket: its news reach the person',
      tags: ['portal'],
      params: ticketId,
      body: z.strictObject({}).describe('Nothing: following has no options'),
      responses: { 204: { description: 'Followed' } },
    },
    async (ctx, read) => {
      read.body();
      await portal.follow(idParam(ctx.params.id), ctx.state.user, reachOf(ctx));
      ctx.status = 204;
    },
  );

  defineRoute(
    router,
    {
      method: 'delete',
      path: '/tickets/:id/follow',
      summary: 'Stops following a ticket',
      tags: ['portal'],
      params: ticketId,
      responses: { 204: { description: 'No longer followed' } },
    },
    async (ctx) => {
      await portal.unfollow(idParam(ctx.params.id), ctx.state.user, reachOf(ctx));
      ctx.status = 204;
    },
  );

  defineRoute(
    router,
    {
      method: 'post',
      path: '/tickets/:id/reopen',
      summary: 'Reopens a resolved ticket within the reopen window, with an optional reason',
      tags: ['portal'],
      params: ticketId,
      body: reopen,
      responses: {
        200: { description: 'The reopened ticket', schema: z.object({ ticket: portalTicket }) },
      },
    },
    async (ctx, read) => {
      const ticket = await portal.reopen(
        idParam(ctx.params.id),
        ctx.state.user,
        reachOf(ctx),
        read.body().body,
      );
      ctx.body = { ticket: portalTicketView(ticket, null) };
    },
  );

  defineRoute(
    router,
    {
      method: 'put',
      path: '/tickets/:id/rating',
      summary: 'Rates the resolution of a resolved ticket: 1–5 with a comment',
      tags: ['portal'],
      params: ticketId,
      body: rating,
      responses: { 200: { description: 'The rating', schema: z.object({ rating: ratingAnswer }) } },
    },
    async (ctx, read) => {
      const { score, comment } = read.body();
      const saved = await portal.rate(
        idParam(ctx.params.id),
        ctx.state.user,
        reachOf(ctx),
        score,
        comment,
      );
      ctx.body = { rating: { score: saved.score, comment: saved.comment, ratedAt: saved.ratedAt } };
    },
  );

  // The raw body is the file, as on the desk's route (helpdesk/ticket.routes.ts).
  defineRoute(
    router,
    {
      method: 'put',
      path: '/tickets/:id/attachments',
      summary: 'Adds a file or a photo to a ticket: the raw request body is the file',
      tags: ['portal'],
      params: ticketId,
      query: attachmentQuery,
      headers: replyHeaders,
      rawBody: {
        contentType: 'application/octet-stream',
        description: "The file; its Content-Type is stored as the attachment's type",
        malwareScan: true,
      },
      responses: {
        201: { description: 'The stored attachment', schema: attachmentAnswer },
        200: {
          description: 'The attachment stored earlier with the same Idempotency-Key',
          schema: attachmentAnswer,
        },
      },
    },
    async (ctx, read) => {
      const file = stagedFile(ctx, read.query().name);
      const { attachment, repeated } = await portal.attach(
        idParam(ctx.params.id),
        ctx.state.user,
        reachOf(ctx),
        file,
        read.headers()['idempotency-key'] as string | undefined,
      );
      ctx.status = repeated ? 200 : 201;
      ctx.body = attachmentAnswerOf(attachment);
    },
  );

  defineRoute(
    router,
    {
      method: 'get',
      path: '/tickets/:id/attachments/:attachmentId',
      summary: 'Downloads an attachment of a ticket the person reaches',
      tags: ['portal'],
      params: z.object({ id: z.uuid(), attachmentId: z.uuid() }),
      responses: {
        200: {
          description: 'The file, as an attachment',
          contentType: 'application/octet-stream',
          schema: fileContent,
        },
      },
    },
    async (ctx) => {
      const id = idParam(ctx.params.id);
      const attachmentId = idParam(ctx.params.attachmentId, 'attachment');
      const { attachment, content } = await portal.download(
        id,
        ctx.state.user,
        reachOf(ctx),
        attachmentId,
      );
      sendAttachment(ctx, attachment, content);
    },
  );

  return router;
}
