import { Router } from '@koa/router';
import { z } from 'zod';
import type { AppState } from '../middleware/session.js';
import { TICKET_STATES, type Ticket, type TicketEvent } from '../models/ticket.model.js';
import type { TicketService } from '../services/ticket.service.js';
import { notFound } from '../errors.js';
import { parseInput } from './validate.js';

const listQuery = z.strictObject({
  state: z.enum([...TICKET_STATES, 'active']).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
  offset: z.coerce.number().int().min(0).default(0),
});

export function ticketRoutes(tickets: TicketService): Router<AppState> {
  const router = new Router<AppState>({ prefix: '/api/v1/tickets' });

  router.get('/', async (ctx) => {
    const q = parseInput(listQuery, ctx.query);
    const items = await tickets.list(ctx.state.user.tenantId, q.state, q.limit, q.offset);
    ctx.body = { items: items.map(ticketView) };
  });

  router.get('/:id', async (ctx) => {
    if (!z.uuid().safeParse(ctx.params.id).success) {
      throw notFound('BW_ERR_TICKET_NOT_FOUND', `ticket ${ctx.params.id} does not exist`);
    }
    const { ticket, events } = await tickets.get(ctx.params.id!, ctx.state.user.tenantId);
    ctx.body = { ticket: ticketView(ticket), events: events.map(eventView) };
  });

  return router;
}

const ticketView = (t: Ticket) => ({
  id: t.id,
  number: t.number,
  subject: t.subject,
  state: t.state,
  priority: t.priority,
  source: t.source,
  branchId: t.branchId,
  agentId: t.agentId,
  checkId: t.checkId,
  openedAt: t.openedAt,
  resolvedAt: t.resolvedAt,
});

const eventView = (e: TicketEvent & { author: string | null }) => ({
  id: String(e.id),
  at: e.at,
  kind: e.kind,
  body: e.body,
  author: e.author,
});
