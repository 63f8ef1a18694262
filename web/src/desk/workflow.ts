import type { TicketState } from '../api/types';

/**
 * Which state may follow which: the hub's table (hub/src/helpdesk/workflow.ts, documented in
 * docs/tickets.md "States"), mirrored only to offer the right buttons. The hub decides; a
 * refused change comes back as 409 and is shown.
 */
export const TRANSITIONS: Readonly<Record<TicketState, readonly TicketState[]>> = {
  open: ['in_progress', 'answered', 'waiting', 'on_hold', 'resolved', 'closed'],
  in_progress: ['open', 'answered', 'waiting', 'on_hold', 'resolved', 'closed'],
  answered: ['open', 'in_progress', 'waiting', 'on_hold', 'resolved', 'closed'],
  waiting: ['open', 'in_progress', 'answered', 'on_hold', 'resolved', 'closed'],
  on_hold: ['open', 'in_progress', 'waiting', 'resolved', 'closed'],
  resolved: ['open', 'in_progress', 'closed'],
  closed: [],
};

export function nextStates(state: TicketState): readonly TicketState[] {
  return TRANSITIONS[state] ?? [];
}

/**
 * The branch chart at the moment of an alert ticket: from an hour before it opened to an
 * hour after it resolved (or to now while it is open), on the ticket's check.
 */
export function chartHref(
  ticket: {
    branchId: string | null;
    checkId: string | null;
    openedAt: string;
    resolvedAt: string | null;
  },
  now: number,
): string | null {
  if (ticket.branchId === null || ticket.checkId === null) return null;
  const hour = 3_600_000;
  const from = Date.parse(ticket.openedAt) - hour;
  const end = ticket.resolvedAt === null ? now : Date.parse(ticket.resolvedAt) + hour;
  const params = new URLSearchParams({
    check: ticket.checkId,
    from: new Date(from).toISOString(),
    to: new Date(Math.min(end, now)).toISOString(),
  });
  return `/branches/${encodeURIComponent(ticket.branchId)}?${params.toString()}`;
}
