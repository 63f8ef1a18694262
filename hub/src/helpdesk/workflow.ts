import type { TicketState } from './ticket.model.js';

/**
 * The ticket workflow: which state may follow which (docs/tickets.md "States"). Closed is
 * final; a resolved ticket may be reopened. `waiting` (on the customer) and `on_hold` pause
 * the SLA clocks.
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

export function canTransition(from: TicketState, to: TicketState): boolean {
  return TRANSITIONS[from].includes(to);
}

/** Why a change of state is refused, or undefined when it is allowed. */
export function transitionProblem(from: TicketState, to: TicketState): string | undefined {
  if (from === to) return `the ticket is already ${from}`;
  if (canTransition(from, to)) return undefined;
  const allowed = TRANSITIONS[from];
  return (
    `a ticket cannot go from ${from} to ${to}` +
    (allowed.length ? ` (from ${from}: ${allowed.join(', ')})` : ` (${from} is final)`)
  );
}
