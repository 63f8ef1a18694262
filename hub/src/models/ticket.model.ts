import { BaseModel } from './base.model.js';

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
/** States in which a ticket still needs work. */
export const ACTIVE_TICKET_STATES: readonly TicketState[] = TICKET_STATES.filter(
  (s) => s !== 'resolved' && s !== 'closed',
);

export class Ticket extends BaseModel {
  static override tableName = 'tickets';
  id!: string;
  tenantId!: string;
  number!: number;
  subject!: string;
  state!: TicketState;
  priority!: 'low' | 'normal' | 'high' | 'urgent';
  source!: 'alert' | 'person';
  branchId!: string | null;
  agentId!: string | null;
  checkId!: string | null;
  fingerprint!: string | null;
  openedAt!: Date;
  resolvedAt!: Date | null;
  updatedAt!: Date;
}

export type TicketEventKind = 'opened' | 'note' | 'recovered' | 'resolved' | 'state';

export class TicketEvent extends BaseModel {
  static override tableName = 'ticket_events';
  id!: number;
  ticketId!: string;
  at!: Date;
  kind!: TicketEventKind;
  body!: string | null;
  authorId!: string | null;
}
