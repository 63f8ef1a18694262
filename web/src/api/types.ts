// The hub's HTTP API (v1) as the web UI sees it. Timestamps are ISO 8601 strings; ids are
// opaque strings. Keep in step with the hub's routes.

export type Role = string;

export interface User {
  id: string;
  username: string;
  role: Role;
}

export interface Branch {
  id: string;
  /** Tenant slug. */
  tenant: string;
  slug: string;
  name: string;
}

export interface Agent {
  id: string;
  tenant: string;
  /** Branch slug. */
  branch: string;
  branchId: string;
  slug: string;
  name: string;
  online: boolean;
  lastSeenAt: string | null;
  version: string | null;
  username: string;
}

export type CheckState = 'ok' | 'failing' | 'unknown';

/** Probe types the UI formats specially; any other type still renders, generically. */
export type KnownCheckType = 'icmp' | 'tcp';

export interface CheckResult {
  at: string;
  status: 'ok' | 'failed';
  reason: string | null;
  /** icmp: sent, received, loss (%), min, median, p95, max, jitter (ms); tcp: connect (ms). */
  fields: Record<string, number | null>;
}

export interface Check {
  id: string;
  agentId: string;
  branchId: string;
  /** The check's id in the agent's config. */
  key: string;
  type: KnownCheckType | (string & {});
  target: string;
  state: CheckState;
  stateSince: string | null;
  lastResult: CheckResult | null;
}

export type TicketState =
  'open' | 'in_progress' | 'answered' | 'waiting' | 'on_hold' | 'resolved' | 'closed';

export type TicketPriority = 'low' | 'normal' | 'high' | 'urgent';

export interface Ticket {
  id: string;
  number: number;
  subject: string;
  state: TicketState;
  priority: TicketPriority;
  source: 'alert' | 'person';
  branchId: string | null;
  agentId: string | null;
  checkId: string | null;
  openedAt: string;
  resolvedAt: string | null;
}

export type TicketEventKind = 'opened' | 'note' | 'recovered' | 'resolved' | 'state';

export interface TicketEvent {
  id: string;
  at: string;
  kind: TicketEventKind;
  body: string | null;
  author: string | null;
}

export interface TicketDetail {
  ticket: Ticket;
  events: TicketEvent[];
}

/** `active` is every state but resolved and closed. */
export type TicketFilter = TicketState | 'active';

export interface ItemList<T> {
  items: T[];
}

export interface ErrorBody {
  error: { code: string; message: string };
}
