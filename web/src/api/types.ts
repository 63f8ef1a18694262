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
  /** Not served by the hub yet: the map groups by them once it does (see docs of buildNocGraph). */
  region?: string | null;
  isp?: string | null;
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

/** A state the hub may add later (flapping); the map treats any other string as unknown. */
export type ReportedCheckState = CheckState | 'flapping' | (string & {});

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
  /** The check's options as configured (e.g. `role: 'wan'`); absent from older hubs. */
  options?: Record<string, unknown> | null;
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

/** GET /branches/:id/topology: what the branch's agents discovered (LLDP, SNMP). */
export interface Topology {
  branch: { id: string; slug: string; name: string };
  agents: { id: string; slug: string; name: string; online: boolean }[];
  devices: TopologyDevice[];
  links: TopologyLink[];
}

export interface TopologyDevice {
  agentId: string;
  /** sysName, or the LLDP chassis id: what links refer to. */
  deviceId: string;
  sysName: string | null;
  sysDescr: string | null;
  /** Where the agent reaches it; null for a neighbour only seen by LLDP. */
  address: string | null;
  seenAt: string;
}

export interface TopologyLink {
  agentId: string;
  localDevice: string;
  localPort: string;
  remoteChassisId: string;
  remoteSysName: string | null;
  remotePort: string;
  seenAt: string;
}

export type Resolution = 'raw' | '1m' | '1h' | '1d';

export interface FieldStats {
  n: number;
  min: number;
  max: number;
  mean: number;
  median: number;
}

/** One raw round (rounds = 1) or one rollup bucket of a check's series. */
export interface SeriesPoint {
  t: string;
  rounds: number;
  failed: number;
  stats: Record<string, FieldStats>;
  /** Raw rounds of icmp/voice only: every RTT of the round, null for a lost ping. */
  samples?: (number | null)[] | null;
  reason?: string | null;
}

/** GET /checks/:id/series. */
export interface Series {
  check: { id: string; key: string; type: string; target: string };
  from: string;
  to: string;
  resolution: Resolution;
  points: SeriesPoint[];
  availability: { rounds: number; failed: number; percent: number | null };
}

/** GET /events: what agents forwarded (SNMP traps today). */
export interface AgentEventView {
  id: string;
  agentId: string;
  kind: string;
  at: string;
  receivedAt: string;
  body: { kind: string; source?: string; trapOid?: string; [key: string]: unknown };
}

export interface ItemList<T> {
  items: T[];
}

export interface ErrorBody {
  error: { code: string; message: string; details?: unknown };
}

// --- ticket desk: the full ticket API as GET/PATCH /api/v1/tickets serve it ---

export type TicketSort = 'opened_at' | 'updated_at' | 'priority' | 'number';
export type TicketSource = 'alert' | 'person';

/** A ticket as the list and detail routes serve it (a superset of `Ticket`). */
export interface DeskTicket extends Ticket {
  category: string | null;
  assigneeId: string | null;
  groupId: string | null;
  mergedIntoId: string | null;
  updatedAt: string;
}

export interface TicketPage {
  items: DeskTicket[];
  /** Null on the last page. */
  nextOffset: number | null;
}

export type DeskEventKind =
  | TicketEventKind
  | 'reply'
  | 'change'
  | 'mention'
  | 'attachment'
  | 'sla_warning'
  | 'sla_escalation';

export interface DeskEvent {
  id: string;
  at: string;
  kind: DeskEventKind | (string & {});
  visibility: 'public' | 'internal';
  body: string | null;
  author: string | null;
  field?: string | null;
  old?: string | null;
  new?: string | null;
  data?: Record<string, unknown>;
}

export type SlaClockStatus = 'running' | 'paused' | 'met' | 'breached';

export interface SlaClockView {
  policyId: string;
  status: SlaClockStatus;
  targetMs: number;
  elapsedMs: number;
  remainingMs: number;
  /** Null while paused: working time cannot be placed on a calendar until it resumes. */
  deadline: string | null;
  paused: boolean;
  pausedMs: number;
  warningAt: string | null;
  escalations: unknown[];
}

export interface TicketAttachment {
  id: string;
  name: string;
  mimeType: string;
  size: number;
  createdAt: string;
}

export interface DeskTicketDetail {
  ticket: DeskTicket;
  events: DeskEvent[];
  tags: string[];
  watchers: { id: string; username: string }[];
  links: unknown[];
  attachments: TicketAttachment[];
  clocks: { firstResponse: SlaClockView | null; resolution: SlaClockView | null };
}

export type BulkAction =
  | { action: 'assign'; assigneeId?: string | null; groupId?: string | null }
  | { action: 'state'; state: TicketState }
  | { action: 'tag'; tag: string };

/** One ticket's outcome of a bulk action: `ok`, or the error that ticket got. */
export interface BulkResult {
  id: string;
  ok: boolean;
  error?: { code: string; message: string };
}

export interface SupportGroup {
  id: string;
  name: string;
}

export interface GroupMember {
  userId: string;
  username: string;
  away: boolean;
}

export interface CannedReply {
  id: string;
  name: string;
  body: string;
}
// --- end ticket desk ---
