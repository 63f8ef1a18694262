import type { MantineColor } from '@mantine/core';
import type { CheckState, TicketEventKind, TicketPriority, TicketState } from '../api/types';
import type { NodeState } from '../map/graphModel';

export const checkStateColor: Record<CheckState, MantineColor> = {
  ok: 'green',
  failing: 'red',
  unknown: 'gray',
};

// Red is kept for what needs a person now; states where the ball is elsewhere are quieter.
export const ticketStateColor: Record<TicketState, MantineColor> = {
  open: 'red',
  in_progress: 'blue',
  answered: 'teal',
  waiting: 'yellow',
  on_hold: 'gray',
  resolved: 'green',
  closed: 'gray',
};

export const priorityColor: Record<TicketPriority, MantineColor> = {
  low: 'gray',
  normal: 'blue',
  high: 'orange',
  urgent: 'red',
};

export const ticketEventColor: Record<TicketEventKind, MantineColor> = {
  opened: 'red',
  note: 'gray',
  recovered: 'green',
  resolved: 'green',
  state: 'blue',
  reply: 'teal',
  change: 'blue',
  mention: 'grape',
  attachment: 'gray',
  sla_warning: 'orange',
  sla_escalation: 'red',
};

/** The map's node states as Mantine colours (the map itself draws with graphModel's palette). */
export const nodeStateColor: Record<NodeState, MantineColor> = {
  ok: 'green',
  failing: 'red',
  unknown: 'gray',
  flapping: 'orange',
  suppressed: 'gray',
};
