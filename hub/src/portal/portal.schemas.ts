import { z } from 'zod';
import { timestamp, uuid } from '../http/schemas.js';
import { attachmentItem, ticketEventAnswer } from '../helpdesk/ticket.schemas.js';
import type { Ticket } from '../helpdesk/ticket.model.js';
import { TICKET_SOURCES, TICKET_STATES } from '@branchwatch/api';

/** A ticket as a requester sees it: no assignee, group, priority or SLA internals. */
export const portalTicket = z.object({
  id: uuid,
  number: z.number().int(),
  subject: z.string(),
  state: z.enum(TICKET_STATES),
  category: z.string().nullable(),
  source: z.enum(TICKET_SOURCES),
  branchId: uuid.nullable(),
  branchName: z.string().nullable(),
  openedAt: timestamp,
  resolvedAt: timestamp.nullable(),
  updatedAt: timestamp,
});

export const portalTicketView = (t: Ticket, branchName: string | null) => ({
  id: t.id,
  number: t.number,
  subject: t.subject,
  state: t.state,
  category: t.category,
  source: t.source,
  branchId: t.branchId,
  branchName,
  openedAt: t.openedAt,
  resolvedAt: t.resolvedAt,
  updatedAt: t.updatedAt,
});

export const ratingAnswer = z.object({
  score: z.number().int().min(1).max(5),
  comment: z.string().nullable(),
  ratedAt: timestamp,
});

export const portalTicketList = z.object({
  items: z.array(portalTicket.extend({ rating: z.number().int().nullable() })),
});

export const knownIncidents = z.object({
  items: z.array(
    portalTicket.extend({
      /** Someone works on it (in progress, or a person or group has it). */
      beingWorkedOn: z.boolean(),
      followed: z.boolean(),
    }),
  ),
});

export const portalTicketDetail = z.object({
  ticket: portalTicket,
  events: z.array(ticketEventAnswer),
  attachments: z.array(attachmentItem),
  rating: ratingAnswer.nullable(),
  followed: z.boolean(),
  /** Until when the resolved ticket may be reopened; null when it may not. */
  reopenUntil: timestamp.nullable(),
});
