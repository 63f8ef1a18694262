import type { TicketPriority, TicketSource, TicketState } from '@branchwatch/api';
import { BaseModel } from '../db/base.model.js';

export class Ticket extends BaseModel {
  static override tableName = 'tickets';
  id!: string;
  tenantId!: string;
  number!: number;
  subject!: string;
  state!: TicketState;
  priority!: TicketPriority;
  source!: TicketSource;
  category!: string | null;
  assigneeId!: string | null;
  groupId!: string | null;
  createdBy!: string | null;
  mergedIntoId!: string | null;
  branchId!: string | null;
  agentId!: string | null;
  checkId!: string | null;
  fingerprint!: string | null;
  /** Who asked (a person calling from a branch, usually without an account); null for alerts. */
  requesterName!: string | null;
  /** How to reach them: a phone number or an address, as given. */
  requesterContact!: string | null;
  /** Moves on every change of a visible field, whoever made it (migration 018): `ETag`. */
  version!: number;
  openedAt!: Date;
  resolvedAt!: Date | null;
  updatedAt!: Date;
}

/**
 * `opened`, `recovered`, `resolved`: the ticket's life as the hub sees it (alerts).
 * `reply`/`note`: the conversation (public replies, internal notes).
 * `change`: one field changed, with `field`, `oldValue` and `newValue` (state, priority,
 * category, subject, assignee, group, sla_policy, tag, watcher, link, merge).
 * `mention`, `attachment`: what a reply brought along.
 * `sla_warning`, `sla_escalation`: recorded by the SLA sweep, once each (`slaKey`).
 * `state`: kept for old rows.
 */
export type TicketEventKind =
  | 'opened'
  | 'note'
  | 'recovered'
  | 'resolved'
  | 'state'
  | 'reply'
  | 'change'
  | 'mention'
  | 'attachment'
  | 'sla_warning'
  | 'sla_escalation';
export type TicketEventVisibility = 'public' | 'internal';

export class TicketEvent extends BaseModel {
  static override tableName = 'ticket_events';
  id!: number;
  ticketId!: string;
  at!: Date;
  kind!: TicketEventKind;
  body!: string | null;
  authorId!: string | null;
  visibility!: TicketEventVisibility;
  field!: string | null;
  oldValue!: string | null;
  newValue!: string | null;
  data!: Record<string, unknown> | null;
  slaKey!: string | null;
}
