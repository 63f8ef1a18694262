import type { Database } from '../db/database.js';
import type { Criticality } from './priority.js';

/** One round as the recovery note reads it. */
export interface MeasuredRound {
  status: 'ok' | 'failed';
  fields: Record<string, unknown>;
}

/** A check with what alerting needs to know about it and its branch. */
export interface AlertCheck {
  id: string;
  tenantId: string;
  branchId: string;
  agentId: string;
  key: string;
  type: string;
  target: string;
  state: 'unknown' | 'ok' | 'failing';
  stateSince: Date | null;
  lastResultAt: Date | null;
  lastReason: string | null;
  lastFields: Record<string, unknown> | null;
  role: 'wan' | null;
  flappingSince: Date | null;
  /** Since when the check has missed its rounds (no data); null while it reports. */
  staleSince: Date | null;
  agentName: string;
  agentOnline: boolean;
  branchName: string;
  branchZone: string;
  criticality: Criticality;
}

export interface AlertAgent {
  id: string;
  tenantId: string;
  branchId: string;
  name: string;
  /** The agent's code name; its name is the same when nobody gave it one. */
  slug: string;
  online: boolean;
  branchName: string;
  branchZone: string;
  criticality: Criticality;
}

const CHECK_COLUMNS = [
  'c.id',
  'c.tenant_id',
  'c.branch_id',
  'c.agent_id',
  'c.key',
  'c.type',
  'c.target',
  'c.state',
  'c.state_since',
  'c.last_result_at',
  'c.last_reason',
  'c.last_fields',
  'c.role',
  'c.flapping_since',
  'c.stale_since',
  'a.name as agent_name',
  'a.online as agent_online',
  'b.name as branch_name',
  'b.time_zone as branch_zone',
  'b.criticality',
];

/** Alert state around tickets: state changes, flapping, root-cause children, agent outages. */
export class IncidentRepository {
  constructor(private readonly db: Database) {}

  private checks() {
    return this.db('checks as c')
      .join('agents as a', 'a.id', 'c.agent_id')
      .join('branches as b', 'b.id', 'c.branch_id')
      .whereNull('c.removed_at')
      .select(CHECK_COLUMNS);
  }

  async findCheck(id: string): Promise<AlertCheck | undefined> {
    const row = await this.checks().where('c.id', id).first();
    return row ? toCheck(row) : undefined;
  }

  async findAgent(id: string): Promise<AlertAgent | undefined> {
    const r = await this.db('agents as a')
      .join('branches as b', 'b.id', 'a.branch_id')
      .where('a.id', id)
      .first(
        'a.id',
        'a.tenant_id',
        'a.branch_id',
        'a.name',
        'a.slug',
        'a.online',
        'b.name as branch_name',
        'b.time_zone as branch_zone',
        'b.criticality',
      );
    if (!r) return undefined;
    return {
      id: r.id,
      tenantId: r.tenant_id,
      branchId: r.branch_id,
      name: r.name,
      slug: r.slug,
      online: r.online,
      branchName: r.branch_name,
      branchZone: r.branch_zone,
      criticality: r.criticality,
    };
  }

  /** Failing checks, for the sweep that raises what no ticket covers yet. */
  async listFailing(): Promise<AlertCheck[]> {
    return (await this.checks().where('c.state', 'failing')).map(toCheck);
  }

  /** Checks back to ok whose alert ticket is still active (the hub stopped in between). */
  async recoveredWithActiveTicket(): Promise<{ check: AlertCheck; openedAt: Date }[]> {
    const rows = await this.checks()
      .join('tickets as t', 't.check_id', 'c.id')
      .where('c.state', 'ok')
      .where('t.source', 'alert')
      .whereNotIn('t.state', ['resolved', 'closed'])
      // A ticket someone works on already got its recovery note and keeps waiting for them.
      .whereNotExists((q) =>
        q.from('ticket_events as e').whereRaw('e.ticket_id = t.id').whereNotNull('e.author_id'),
      )
      .select('t.opened_at as ticket_opened_at');
    return rows.map((r: CheckJoinRow & { ticket_opened_at: Date }) => ({
      check: toCheck(r),
      openedAt: r.ticket_opened_at,
    }));
  }

  /**
   * Marks stale the checks that missed two rounds in a row (docs/alerts.md "Stale checks"):
   * no round since two intervals plus the round's timeout and `graceSeconds` for the batch
   * to arrive. The interval is the one the agent says it runs the check at, else the check's
   * own, else the agent's default. A check that never reported counts from when it was added.
   * Returns the checks it marked, with the time they went stale.
   */
  async markStale(now: Date, graceSeconds: number): Promise<{ check: AlertCheck; since: Date }[]> {
    // Rows an ingest holds are passed over (SKIP LOCKED), not waited for: ingest locks a
    // group's checks in (agent, key) order, and a sweep that took rows in its own order while
    // waiting for one made a deadlock (seen under the ingest benchmark, rounds hours old). A
    // check being ingested has news anyway; the next sweep looks at it again. Locking re-reads
    // a row changed since the statement began, so the due time is computed on the row locked.
    const marked = await this.db.raw<{ rows: { id: string; stale_since: Date }[] }>(
      `WITH due AS (
         SELECT c.id, s.since FROM checks c JOIN agents a ON a.id = c.agent_id
         CROSS JOIN LATERAL (SELECT coalesce(c.last_result_at, c.active_since)
           + make_interval(secs => 2 * coalesce(c.reported_interval_seconds,
               (SELECT (e->>'intervalSeconds')::real FROM jsonb_array_elements(a.config_checks) e
                WHERE e->>'id' = c.key LIMIT 1),
               c.interval_seconds,
               (a.config_defaults->>'intervalSeconds')::real, 60)
             + coalesce(c.timeout_seconds, (a.config_defaults->>'timeoutSeconds')::real, 10)
             + ?) AS since) s
         WHERE c.removed_at IS NULL AND c.stale_since IS NULL AND s.since <= ?
         FOR NO KEY UPDATE OF c SKIP LOCKED)
       UPDATE checks SET stale_since = due.since FROM due
       WHERE checks.id = due.id
       RETURNING checks.id, checks.stale_since`,
      [graceSeconds, now],
    );
    if (marked.rows.length === 0) return [];
    const since = new Map(marked.rows.map((r) => [r.id, r.stale_since]));
    const rows = await this.checks().whereIn('c.id', [...since.keys()]);
    return rows.map((r: CheckJoinRow) => ({ check: toCheck(r), since: since.get(r.id)! }));
  }

  /** Stale checks whose rounds came back: no longer stale. Returns them. */
  async clearStale(): Promise<{ check: AlertCheck; since: Date }[]> {
    const cleared = await this.db.raw<{ rows: { id: string; was: Date }[] }>(
      // As markStale: rows an ingest holds wait for the next sweep.
      `WITH back AS (
         SELECT id, stale_since FROM checks
         WHERE stale_since IS NOT NULL AND (last_result_at > stale_since OR removed_at IS NOT NULL)
         FOR NO KEY UPDATE SKIP LOCKED)
       UPDATE checks SET stale_since = NULL FROM back
       WHERE checks.id = back.id
       RETURNING checks.id, back.stale_since AS was`,
    );
    if (cleared.rows.length === 0) return [];
    const was = new Map(cleared.rows.map((r) => [r.id, r.was]));
    const rows = await this.checks().whereIn('c.id', [...was.keys()]);
    return rows.map((r: CheckJoinRow) => ({ check: toCheck(r), since: was.get(r.id)! }));
  }

  async listFlapping(): Promise<AlertCheck[]> {
    return (await this.checks().whereNotNull('c.flapping_since')).map(toCheck);
  }

  /** The parents of a check: its branch's WAN checks and the parents admins linked to it. */
  async parentsOf(check: AlertCheck): Promise<AlertCheck[]> {
    const rows = await this.checks()
      .whereNot('c.id', check.id)
      .where((q) =>
        q
          .where((w) => {
            // A WAN check has no automatic parent check of its own: only the agent.
            if (check.role === 'wan') w.whereRaw('false');
            else w.where('c.branch_id', check.branchId).where('c.role', 'wan');
          })
          .orWhereIn(
            'c.id',
            this.db('alert_parent_links')
              .where('child_check_id', check.id)
              .select('parent_check_id'),
          ),
      );
    return rows.map(toCheck);
  }

  /** Checks behind a parent check: for a WAN check, the rest of its branch; plus linked ones. */
  async childrenOf(parent: AlertCheck): Promise<AlertCheck[]> {
    const rows = await this.checks()
      .whereNot('c.id', parent.id)
      .where((q) =>
        q
          .where((w) => {
            if (parent.role === 'wan')
              w.where('c.branch_id', parent.branchId).whereRaw('c.role IS DISTINCT FROM ?', [
                'wan',
              ]);
            else w.whereRaw('false');
          })
          .orWhereIn(
            'c.id',
            this.db('alert_parent_links')
              .where('parent_check_id', parent.id)
              .select('child_check_id'),
          ),
      );
    return rows.map(toCheck);
  }

  async checksOfAgent(agentId: string): Promise<AlertCheck[]> {
    return (await this.checks().where('c.agent_id', agentId)).map(toCheck);
  }

  async recordStateChange(checkId: string, at: Date, to: string): Promise<void> {
    await this.db('check_state_changes')
      .insert({ check_id: checkId, at, to })
      .onConflict(['check_id', 'at'])
      .ignore();
    await this.db('checks').where({ id: checkId }).update({ alert_expired_at: null });
  }

  /**
   * Records first verdicts (unknown → ok) in one statement: each change's row (flapping
   * counts it later) and the end of an expired alert, writing `checks` only where one had
   * expired. Nothing is written for a check deleted meanwhile.
   */
  async recordFirstVerdicts(verdicts: readonly { checkId: string; at: Date }[]): Promise<void> {
    if (verdicts.length === 0) return;
    await this.db.raw(
      `WITH v AS (
         SELECT * FROM unnest(?::uuid[], ?::timestamptz[]) AS v(check_id, at)
       ), cleared AS (
         UPDATE checks c SET alert_expired_at = NULL
           FROM v WHERE c.id = v.check_id AND c.alert_expired_at IS NOT NULL
       )
       INSERT INTO check_state_changes (check_id, at, "to")
       SELECT c.id, v.at, 'ok' FROM v JOIN checks c ON c.id = v.check_id
       ON CONFLICT (check_id, at) DO NOTHING`,
      [verdicts.map((v) => v.checkId), verdicts.map((v) => v.at)],
    );
  }

  async countChanges(checkId: string, after: Date): Promise<number> {
    const [row] = await this.db('check_state_changes')
      .where('check_id', checkId)
      .where('at', '>', after)
      .count({ n: '*' });
    return Number(row?.n ?? 0);
  }

  async lastChangeAt(checkId: string): Promise<Date | undefined> {
    const row = await this.db('check_state_changes')
      .where('check_id', checkId)
      .max({ at: 'at' })
      .first();
    return (row?.at as Date | null) ?? undefined;
  }

  async setFlapping(checkId: string, since: Date | null): Promise<void> {
    await this.db('checks').where({ id: checkId }).update({ flapping_since: since });
  }

  /** Records a child under a root-cause ticket; false when it was already there. */
  async attachChild(parentTicketId: string, checkId: string, at: Date): Promise<boolean> {
    const rows = await this.db('incident_children')
      .insert({ parent_ticket_id: parentTicketId, check_id: checkId, attached_at: at })
      .onConflict(['parent_ticket_id', 'check_id'])
      .ignore()
      .returning('check_id');
    return rows.length === 1;
  }

  async countChildren(parentTicketId: string): Promise<number> {
    const [row] = await this.db('incident_children')
      .where('parent_ticket_id', parentTicketId)
      .count({ n: '*' });
    return Number(row?.n ?? 0);
  }

  /** Starts an agent outage; false when one is already open. */
  async openOutage(agentId: string, at: Date): Promise<boolean> {
    const rows = await this.db('agent_outages')
      .insert({ agent_id: agentId, offline_at: at })
      .onConflict(this.db.raw('(agent_id) WHERE online_at IS NULL'))
      .ignore()
      .returning('id');
    return rows.length === 1;
  }

  /** Ends the open outage of an agent and returns when it began. */
  async closeOutage(agentId: string, at: Date): Promise<Date | undefined> {
    const [row] = await this.db('agent_outages')
      .where({ agent_id: agentId })
      .whereNull('online_at')
      .update({ online_at: at })
      .returning('offline_at');
    return (row?.offline_at as Date | undefined) ?? undefined;
  }

  async openOutages(): Promise<{ agentId: string; offlineAt: Date }[]> {
    const rows = await this.db('agent_outages').whereNull('online_at');
    return rows.map((r: { agent_id: string; offline_at: Date }) => ({
      agentId: r.agent_id,
      offlineAt: r.offline_at,
    }));
  }

  async listOutages(agentId: string, limit: number) {
    const rows = await this.db('agent_outages')
      .where({ agent_id: agentId })
      .orderBy('offline_at', 'desc')
      .limit(limit);
    return rows.map((r: { offline_at: Date; online_at: Date | null }) => ({
      offlineAt: r.offline_at,
      onlineAt: r.online_at,
    }));
  }

  /** The outcome and measured fields of the rounds in [from, to], newest first, at most `limit`. */
  async roundsBetween(
    checkId: string,
    from: Date,
    to: Date,
    limit = 20_000,
  ): Promise<MeasuredRound[]> {
    return this.db('check_results')
      .where('check_id', checkId)
      .whereBetween('at', [from, to])
      .orderBy('at', 'desc')
      .limit(limit)
      .select('status', 'fields');
  }

  /** Gives up on an alert whose recovery can no longer be seen: the check starts afresh. */
  async expire(checkId: string, at: Date): Promise<void> {
    await this.db('checks').where({ id: checkId }).update({
      state: 'unknown',
      state_since: at,
      fail_streak: 0,
      ok_streak: 0,
      flapping_since: null,
      alert_expired_at: at,
    });
  }
}

interface CheckJoinRow {
  id: string;
  tenant_id: string;
  branch_id: string;
  agent_id: string;
  key: string;
  type: string;
  target: string;
  state: AlertCheck['state'];
  state_since: Date | null;
  last_result_at: Date | null;
  last_reason: string | null;
  last_fields: Record<string, unknown> | null;
  role: 'wan' | null;
  flapping_since: Date | null;
  stale_since: Date | null;
  agent_name: string;
  agent_online: boolean;
  branch_name: string;
  branch_zone: string;
  criticality: Criticality;
}

function toCheck(r: CheckJoinRow): AlertCheck {
  return {
    id: r.id,
    tenantId: r.tenant_id,
    branchId: r.branch_id,
    agentId: r.agent_id,
    key: r.key,
    type: r.type,
    target: r.target,
    state: r.state,
    stateSince: r.state_since,
    lastResultAt: r.last_result_at,
    lastReason: r.last_reason,
    lastFields: r.last_fields,
    role: r.role,
    flappingSince: r.flapping_since,
    staleSince: r.stale_since,
    agentName: r.agent_name,
    agentOnline: r.agent_online,
    branchName: r.branch_name,
    branchZone: r.branch_zone,
    criticality: r.criticality,
  };
}
