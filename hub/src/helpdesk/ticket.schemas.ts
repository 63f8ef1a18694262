import { z } from 'zod';
import { timestamp, uuid } from '../http/schemas.js';
import { SLA_CLOCKS, TICKET_PRIORITIES, TICKET_SOURCES, TICKET_STATES } from '@branchwatch/api';
import { TICKET_SORTS } from './ticket.repository.js';

/** Answers of the ticket routes (docs/tickets.md). */
export const ticketAnswer = z.object({
  id: uuid,
  number: z.number().int(),
  subject: z.string(),
  state: z.enum(TICKET_STATES),
  priority: z.enum(TICKET_PRIORITIES),
  category: z.string().nullable(),
  source: z.enum(TICKET_SOURCES),
  branchId: uuid.nullable(),
  agentId: uuid.nullable(),
  checkId: uuid.nullable(),
  assigneeId: uuid.nullable(),
  groupId: uuid.nullable(),
  mergedIntoId: uuid.nullable(),
  /** Who asked: a person calling from a branch (free text); null for tickets alerts opened. */
  requesterName: z.string().nullable(),
  /** How to reach the requester: a phone number or an address, as given. */
  requesterContact: z.string().nullable(),
  /** Moves with every change of a field; also the `ETag`, for `If-Match` on PATCH. */
  version: z.number().int(),
  openedAt: timestamp,
  resolvedAt: timestamp.nullable(),
  updatedAt: timestamp,
});

const slaClockFields = z.object({
  policyId: uuid,
  status: z.enum(['running', 'paused', 'met', 'breached']),
  /** Business milliseconds (docs/sla.md). */
  targetMs: z.number(),
  elapsedMs: z.number(),
  remainingMs: z.number(),
  deadline: timestamp.nullable(),
  paused: z.boolean(),
  pausedMs: z.number(),
  warningAt: timestamp.nullable(),
  escalations: z.array(
    z.object({
      name: z.string(),
      offsetMs: z.number(),
      at: timestamp.nullable(),
      fired: z.boolean(),
    }),
  ),
});

/** A ticket in the queue, with the SLA clock that needs attention first (`due`). */
export const queueTicket = ticketAnswer.extend({
  /** Breached before running (earliest deadline) before paused; null: no clock left to meet. */
  due: slaClockFields.extend({ clock: z.enum(SLA_CLOCKS) }).nullable(),
});

export const ticketPage = z.object({
  items: z.array(queueTicket),
  /** The `offset` of the next page; null on the last page. */
  nextOffset: z.number().int().nullable(),
});

export const ticketEventAnswer = z.object({
  id: z.string().describe('A decimal number, in the order events happened'),
  at: timestamp,
  kind: z.enum([
    'opened',
    'note',
    'recovered',
    'resolved',
    'state',
    'reply',
    'change',
    'mention',
    'attachment',
    'sla_warning',
    'sla_escalation',
  ]),
  visibility: z.enum(['public', 'internal']),
  body: z.string().nullable(),
  author: z.string().nullable(),
  /** `change` events: which field, its old and its new value. */
  field: z.string().nullable().optional(),
  old: z.string().nullable().optional(),
  new: z.string().nullable().optional(),
  /** For values that are ids (assignee, group, sla_policy): what they name, if it still exists. */
  oldLabel: z.string().nullable().optional(),
  newLabel: z.string().nullable().optional(),
  data: z.record(z.string(), z.unknown()).optional(),
});

const slaClock = slaClockFields.nullable();

export const attachmentItem = z.object({
  id: uuid,
  name: z.string(),
  mimeType: z.string(),
  size: z.number().int(),
  createdAt: timestamp,
});

export const ticketDetail = z.object({
  ticket: ticketAnswer,
  events: z.array(ticketEventAnswer),
  tags: z.array(z.string()),
  watchers: z.array(z.object({ id: uuid, username: z.string() })),
  links: z.array(z.object({ id: uuid, number: z.number().int(), subject: z.string() })),
  attachments: z.array(attachmentItem),
  /** null: no SLA policy applies, or the policy has no target for that clock. */
  clocks: z.object({ firstResponse: slaClock, resolution: slaClock }),
});

export const bulkResults = z.object({
  results: z.array(
    z.object({
      id: uuid,
      ok: z.boolean(),
      /** When not ok: the error the single-ticket route would have answered. */
      error: z.object({ code: z.string().optional(), message: z.string() }).optional(),
    }),
  ),
});

export const replyAnswer = z.object({
  event: ticketEventAnswer,
  /** Usernames the reply mentioned (they become watchers and are notified). */
  mentioned: z.array(z.string()),
});

export const tagAnswer = z.object({ tag: z.string(), added: z.boolean() });

export const attachmentAnswer = z.object({
  attachment: z.object({ id: uuid, name: z.string(), size: z.number().int() }),
});

const list = <T extends string>(values: readonly [T, ...T[]]) =>
  z.preprocess((v) => (typeof v === 'string' ? v.split(',') : v), z.array(z.enum(values)).min(1));

/** The queue's filters (`GET /tickets`, its exports). */
export const filterQuery = z.strictObject({
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

/** The repository's filter from the queue's query. */
export const toFilter = (q: z.infer<typeof filterQuery>) => ({
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
