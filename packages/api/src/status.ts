/**
 * The status model a NOC person reads on the overview, a branch's page and the map (docs/status.md).
 * One place decides what state and colour a check, an agent and a branch have, so the three
 * pages never disagree, and the hub can use the same words.
 *
 * - A check is `ok`, `degraded` (answers but breaches a threshold, or a bad round that has not
 *   yet made it fail), `down` (failing and not answering), `stale` (missed two rounds: no
 *   data), `maintenance`, or `pending` (no round yet).
 * - A branch is `down` only when it cannot be reached (every agent offline), its WAN check is
 *   down, or every check that reports is down; one failing check among healthy ones makes it
 *   `degraded`, never `down`.
 */

export const STATUSES = ['ok', 'degraded', 'down', 'stale', 'maintenance', 'pending'] as const;
export type Status = (typeof STATUSES)[number];

/** How much a check's failure says about its branch. */
export const SEVERITIES = ['critical', 'major', 'minor'] as const;
export type Severity = (typeof SEVERITIES)[number];

/** Every probe type (the contract's; a hub test keeps the two lists equal). */
export const CHECK_TYPES = ['icmp', 'tcp', 'http', 'dns', 'snmp', 'sip', 'voice', 'onvif'] as const;
export type CheckType = (typeof CHECK_TYPES)[number];

/**
 * Severity by check type: reachability and the services people use are major; quality and
 * device health are minor. The branch's WAN check (role `wan`) is critical whatever its type.
 */
export const CHECK_TYPE_SEVERITY: Readonly<Record<CheckType, Severity>> = {
  icmp: 'major',
  tcp: 'major',
  http: 'major',
  dns: 'major',
  sip: 'major',
  voice: 'minor',
  snmp: 'minor',
  onvif: 'minor',
};

/** What the model reads of a check (the API's check answer has all of it). */
export interface StatusCheck {
  type: string;
  role?: string | null;
  state: 'unknown' | 'ok' | 'failing';
  staleSince: string | null;
  lastResult: { at: string; status: 'ok' | 'failed' | null } | null;
}

export function severityOf(check: Pick<StatusCheck, 'type' | 'role'>): Severity {
  if (check.role === 'wan') return 'critical';
  return (CHECK_TYPE_SEVERITY as Record<string, Severity>)[check.type] ?? 'major';
}

/** Whether the check has missed its rounds: stale since a time no newer round has passed. */
export function isStale(check: Pick<StatusCheck, 'staleSince' | 'lastResult'>): boolean {
  if (!check.staleSince) return false;
  const last = check.lastResult?.at;
  return !last || Date.parse(last) <= Date.parse(check.staleSince);
}

export function checkStatus(check: StatusCheck, inMaintenance = false): Status {
  if (inMaintenance) return 'maintenance';
  if (isStale(check)) return 'stale';
  const last = check.lastResult?.status ?? null;
  if (check.state === 'failing') return last === 'ok' ? 'degraded' : 'down';
  if (check.state === 'ok') return last === 'failed' ? 'degraded' : 'ok';
  return last === 'failed' ? 'degraded' : last === 'ok' ? 'ok' : 'pending';
}

export type StatusCounts = Record<Status, number>;

export function emptyCounts(): StatusCounts {
  return { ok: 0, degraded: 0, down: 0, stale: 0, maintenance: 0, pending: 0 };
}

/** What a branch's colour is made of. */
export interface BranchStatusInput {
  checks: readonly StatusCheck[];
  agents: readonly { online: boolean }[];
  inMaintenance?: boolean;
}

/** Why a branch has its status, for the words next to its colour. */
export type BranchStatusReason =
  | 'maintenance'
  | 'noAgents'
  | 'agentsOffline'
  | 'someAgentsOffline'
  | 'wanDown'
  | 'allDown'
  | 'checksFailing'
  | 'allStale'
  | 'noData'
  | 'healthy';

export interface BranchStatus {
  status: Status;
  reason: BranchStatusReason;
  counts: StatusCounts;
}

export function branchStatus(input: BranchStatusInput): BranchStatus {
  const counts = emptyCounts();
  const statuses = input.checks.map((c) => {
    const status = checkStatus(c, input.inMaintenance);
    counts[status] += 1;
    return { status, severity: severityOf(c) };
  });
  const verdict = (status: Status, reason: BranchStatusReason): BranchStatus => ({
    status,
    reason,
    counts,
  });
  if (input.inMaintenance) return verdict('maintenance', 'maintenance');
  if (input.agents.length === 0) return verdict('pending', 'noAgents');
  const online = input.agents.filter((a) => a.online).length;
  if (online === 0) return verdict('down', 'agentsOffline');
  // Connected agents with nothing to check: the connection itself is the branch's heartbeat.
  if (statuses.length === 0) {
    return verdict(
      online < input.agents.length ? 'degraded' : 'ok',
      online < input.agents.length ? 'someAgentsOffline' : 'healthy',
    );
  }
  if (statuses.some((s) => s.status === 'down' && s.severity === 'critical')) {
    return verdict('down', 'wanDown');
  }
  const reporting = statuses.filter((s) => s.status !== 'stale' && s.status !== 'pending');
  if (reporting.length > 0 && reporting.every((s) => s.status === 'down')) {
    return verdict('down', 'allDown');
  }
  if (reporting.some((s) => s.status === 'down' || s.status === 'degraded')) {
    return verdict('degraded', 'checksFailing');
  }
  if (online < input.agents.length) return verdict('degraded', 'someAgentsOffline');
  if (statuses.length > 0 && counts.stale === statuses.length) return verdict('stale', 'allStale');
  if (reporting.length === 0) return verdict('pending', 'noData');
  return verdict('ok', 'healthy');
}

/** Most urgent first: the order of a problem list and of "worst of". */
export const STATUS_URGENCY: readonly Status[] = [
  'down',
  'degraded',
  'stale',
  'maintenance',
  'pending',
  'ok',
];

export function worstStatus(statuses: Iterable<Status>): Status {
  let worst: Status = 'ok';
  for (const s of statuses) {
    if (STATUS_URGENCY.indexOf(s) < STATUS_URGENCY.indexOf(worst)) worst = s;
  }
  return worst;
}
