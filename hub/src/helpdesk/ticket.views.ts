import type { SlaClock, SlaClocks } from '@branchwatch/sla';
import type { Ticket, TicketEvent } from './ticket.model.js';

/** How tickets, their events and SLA clocks look in API answers (schemas/tickets.ts). */
export const ticketView = (t: Ticket) => ({
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

export const eventView = (e: TicketEvent & { author: string | null }) => ({
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

export const clocksView = (c: SlaClocks) => ({
  firstResponse: clockView(c.firstResponse),
  resolution: clockView(c.resolution),
});
