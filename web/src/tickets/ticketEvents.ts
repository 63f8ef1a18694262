import type { TicketEvent } from '../api/types';

/**
 * A ticket's history, oldest first, as it is read: what happened, then what followed. Events
 * with the same time keep the hub's order (it knows which came first).
 */
export function eventsInOrder(events: TicketEvent[]): TicketEvent[] {
  return events
    .map((event, index) => ({ event, index, at: Date.parse(event.at) }))
    .sort((a, b) => a.at - b.at || a.index - b.index)
    .map(({ event }) => event);
}
