/** Ticket states, in the order a ticket usually goes through them (docs/tickets.md "States"). */
export const TICKET_STATES = [
  'open',
  'in_progress',
  'answered',
  'waiting',
  'on_hold',
  'resolved',
  'closed',
] as const;
export type TicketState = (typeof TICKET_STATES)[number];

export const TICKET_PRIORITIES = ['low', 'normal', 'high', 'urgent'] as const;
export type TicketPriority = (typeof TICKET_PRIORITIES)[number];

/** Who opened a ticket: the alert engine, or a person. */
export const TICKET_SOURCES = ['alert', 'person'] as const;
export type TicketSource = (typeof TICKET_SOURCES)[number];

/** States in which a ticket still needs work. */
export const ACTIVE_TICKET_STATES: readonly TicketState[] = TICKET_STATES.filter(
  (s) => s !== 'resolved' && s !== 'closed',
);

/**
 * The ticket workflow: which state may follow which (docs/tickets.md "States"). Closed is
 * final; a resolved ticket may be reopened. `waiting` (on the customer) and `on_hold` pause
 * the SLA clocks. The hub enforces it; the web offers only the buttons it allows.
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

/** The states a ticket in `state` may move to. */
export function nextStates(state: TicketState): readonly TicketState[] {
  return TRANSITIONS[state] ?? [];
}

/**
 * Categories the desk offers for tickets people open; a ticket may carry any other text too
 * (SLA policies match categories by value, docs/sla.md).
 */
/**
 * How a support group's new ticket finds its person: someone picks (manual), the members in
 * turn, or the member with the fewest active tickets (docs/tickets.md "Assignment").
 */
export const ASSIGNMENT_STRATEGIES = ['manual', 'round_robin', 'least_loaded'] as const;
export type AssignmentStrategy = (typeof ASSIGNMENT_STRATEGIES)[number];

export const TICKET_CATEGORIES = [
  'network',
  'telephony',
  'hardware',
  'software',
  'access',
  'other',
] as const;
export type TicketCategory = (typeof TICKET_CATEGORIES)[number];
