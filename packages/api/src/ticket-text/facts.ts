import type { TicketPriority } from '../tickets.js';

/**
 * What the hub writes on a ticket by itself (an alert opened it, recovered, flapped, …), as
 * facts rather than prose: stored in the event's `data.text`, rendered in a language, a time
 * zone and a calendar by `ticketTextLines` — by the hub in the tenant's language for the
 * stored body, mails and the API, by the web in the reader's (docs/tickets.md "Text the hub
 * writes"). Times are ISO 8601 strings; durations milliseconds.
 */
export type TicketText =
  | CheckFailing
  | AgentOffline
  | Recovered
  | BranchReachable
  | Flapping
  | Calm
  | AlsoFailing
  | Expired
  | AutoResolved
  | AutoPriority
  | Stale
  | DataBack
  | JobFailing
  | JobRecovered
  | BreakGlass
  | SsoCertificate
  | SsoCertificateReplaced
  | SsoFinding
  | SsoFindingCleared;

/** A check as a ticket names it. */
export interface CheckRef {
  key: string;
  type: string;
  target: string;
  /** The branch's WAN link (its role). */
  wan: boolean;
  branch: string;
  agent: string;
}

/** The branch chart of a check between two times: a route of the web UI (`chartPath`). */
export interface ChartRef {
  branchId: string;
  checkId: string;
  from: string;
  to: string;
}

/** Why the hub gave a ticket its priority (hub/src/alerts/priority.ts): each factor's weight. */
export interface PriorityFacts {
  priority: TicketPriority;
  score: number;
  /** 'agent', 'wan' or the check type. */
  category: string;
  criticality: 'low' | 'normal' | 'high' | 'critical';
  repeats: number;
  children: number;
  weights: { category: number; criticality: number; repeats: number; impact: number };
}

/** Measured fields of a round: numbers, or null where the round measured nothing. */
export type Measurements = Record<string, number | null>;

/** A check failed enough rounds to open (or, `reopened`, reopen) its ticket. */
export interface CheckFailing {
  kind: 'check_failing';
  check: CheckRef;
  since: string;
  reason: string | null;
  measured: Measurements;
  chart: ChartRef;
  priority?: PriorityFacts;
  reopened?: boolean;
}

/** An agent lost its connection for longer than the grace: its branch cannot be measured. */
export interface AgentOffline {
  kind: 'agent_offline';
  agent: string;
  /** Whether `agent` is a name a person gave (false: the agent's code name, kept off the subject). */
  agentNamed?: boolean;
  branch: string;
  since: string;
  priority?: PriorityFacts;
  reopened?: boolean;
}

/** The check recovered: the downtime and the worst of the outage. */
export interface Recovered {
  kind: 'recovered';
  /** When it started failing; null when the hub does not know. */
  since: string | null;
  at: string;
  worst: Measurements;
  chart?: ChartRef;
}

/** The agent is back: the branch was unreachable from → to. */
export interface BranchReachable {
  kind: 'branch_reachable';
  agent: string;
  from: string;
  to: string;
}

export interface Flapping {
  kind: 'flapping';
  changes: number;
  windowMs: number;
  quietMs: number;
}

export interface Calm {
  kind: 'calm';
  at: string;
}

/** A check behind this incident failed too; it gets no ticket of its own meanwhile. */
export interface AlsoFailing {
  kind: 'also_failing';
  check: CheckRef;
  since: string;
  reason: string | null;
}

/** No result for too long: the recovery cannot be seen, the alert is given up. */
export interface Expired {
  kind: 'expired';
  check: string;
  lastResult: string | null;
  allowedMs: number;
}

export interface AutoResolved {
  kind: 'auto_resolved';
  why:
    | 'check_recovered'
    | 'agent_back'
    | 'expired'
    | 'job_recovered'
    | 'certificate_replaced'
    | 'finding_cleared';
}

/** The hub changed the priority it had given (more repeats, more affected behind it). */
export interface AutoPriority {
  kind: 'auto_priority';
  priority: PriorityFacts;
}

/** A check missed two rounds in a row: nobody can see whether it still fails (docs/alerts.md). */
export interface Stale {
  kind: 'stale';
  check: string;
  agent: string;
  /** Connected but not reporting this check (taken out of its configuration?), or away. */
  agentOnline: boolean;
  since: string;
  lastResult: string | null;
  /** When the note was written: "its last result came … ago" counts to here. */
  at: string;
}

/** Results of a stale check came back after `gapMs`. */
export interface DataBack {
  kind: 'data_back';
  gapMs: number;
  stillFailing: boolean;
}

/**
 * A background job of the hub's own (rollups, partition upkeep, a sweep, the outbox) or a
 * TimescaleDB job failed `failures` runs in a row (hub/src/alerts/job-alerts.ts).
 */
export interface JobFailing {
  kind: 'job_failing';
  job: string;
  /** What it works on (a TimescaleDB job's hypertable or aggregate), when it names one. */
  target: string | null;
  timescaledb: boolean;
  failures: number;
  /** When the first of these failed runs was, or the latest when unknown. */
  since: string;
  error: string | null;
}

/** The job succeeded again. */
export interface JobRecovered {
  kind: 'job_recovered';
  job: string;
  at: string;
}

/**
 * A break-glass account signed in with the hub's own password in a tenant whose people sign in
 * through its provider (hub/src/alerts/break-glass-alerts.ts): one ticket for the tenant's
 * admins, a note on it for each further use while it is open.
 */
export interface BreakGlass {
  kind: 'break_glass';
  username: string;
  at: string;
  /** The address the sign-in came from, when known. */
  ip: string | null;
}

/**
 * A SAML provider's signing certificate ends within 14 days, or has ended
 * (hub/src/alerts/sso-certificate-alerts.ts): one ticket per provider for the tenant's admins.
 */
export interface SsoCertificate {
  kind: 'sso_certificate';
  provider: string;
  notAfter: string;
  expired: boolean;
}

/** The provider's certificate was replaced (or the provider removed): the finding is gone. */
export interface SsoCertificateReplaced {
  kind: 'sso_certificate_replaced';
  provider: string;
  at: string;
}

/**
 * A provider's answers showed SHA-1 or clock skew (hub/src/alerts/sso-finding-alerts.ts): one
 * ticket per provider and finding for the tenant's admins. `seconds`: how far the provider's
 * clock was (positive: ahead); `accepted`: whether the SHA-1 answer signed someone in.
 */
export interface SsoFinding {
  kind: 'sso_finding';
  finding: 'sha1' | 'clock_skew';
  provider: string;
  at: string;
  accepted?: boolean;
  seconds?: number;
}

/** No such answer for a day, or the provider's SHA-1 setting changed: the finding is gone. */
export interface SsoFindingCleared {
  kind: 'sso_finding_cleared';
  finding: 'sha1' | 'clock_skew';
  provider: string;
  at: string;
  why: 'quiet' | 'setting_changed';
}

/** The web route of a chart: the branch page on the check, over the time range. */
export function chartPath(chart: ChartRef): string {
  const query = new URLSearchParams({ check: chart.checkId, from: chart.from, to: chart.to });
  return `/branches/${encodeURIComponent(chart.branchId)}?${query.toString()}`;
}

const KINDS: ReadonlySet<string> = new Set<TicketText['kind']>([
  'check_failing',
  'agent_offline',
  'recovered',
  'branch_reachable',
  'flapping',
  'calm',
  'also_failing',
  'expired',
  'auto_resolved',
  'auto_priority',
  'stale',
  'data_back',
  'job_failing',
  'job_recovered',
  'break_glass',
  'sso_certificate',
  'sso_certificate_replaced',
  'sso_finding',
  'sso_finding_cleared',
]);

/**
 * The text facts of an event's `data`, when it has some of a kind this version knows; null
 * otherwise (an older hub's event, or a kind added later: the event's body is shown instead).
 */
export function ticketTextOf(data: unknown): TicketText | null {
  const text = (data as { text?: unknown } | null | undefined)?.text;
  if (typeof text !== 'object' || text === null) return null;
  const kind = (text as { kind?: unknown }).kind;
  return typeof kind === 'string' && KINDS.has(kind) ? (text as TicketText) : null;
}
