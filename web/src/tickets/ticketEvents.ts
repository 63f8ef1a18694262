import type { DeskEventKind, TicketEvent } from '../api/types';
import type { MessageKey } from '../i18n';

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

/** The label of each kind of ticket event. */
export const EVENT_LABELS: Record<DeskEventKind, MessageKey> = {
  opened: 'event.opened',
  note: 'event.note',
  recovered: 'event.recovered',
  resolved: 'event.resolved',
  state: 'event.state',
  reply: 'desk.event.reply',
  change: 'desk.event.change',
  mention: 'desk.event.mention',
  attachment: 'desk.event.attachment',
  sla_warning: 'desk.event.sla_warning',
  sla_escalation: 'desk.event.sla_escalation',
};
