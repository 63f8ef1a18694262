import type { MantineColor } from '@mantine/core';
import type { Status } from '@branchwatch/api';
import type { CheckState, TicketEventKind, TicketPriority, TicketState } from '../api/types';
import type { NodeState } from '../map/graphModel';

/**
 * The status model's colours (packages/api status.ts), the same on the overview, a branch's
 * page and the map: red only for down, orange for degraded, violet for "no data" so that a
 * silent check never passes for a healthy or a failing one.
 */
export const statusColor: Record<Status, MantineColor> = {
  ok: 'green',
  degraded: 'orange',
  down: 'red',
  stale: 'violet',
  maintenance: 'blue',
  pending: 'gray',
};

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
  degraded: 'orange',
  stale: 'violet',
  failing: 'red',
  unknown: 'gray',
  flapping: 'orange',
  suppressed: 'gray',
};
