import type { Database } from '../db/database.js';
import type { AutomationRunStatus } from '@branchwatch/api';
import type { Action, Condition, Trigger } from './automation.schemas.js';
import type { HistoryEvent, Round, TicketHistory } from './rule-evaluation.js';

export interface RuleRow {
  id: string;
  tenantId: string;
  name: string;
  enabled: boolean;
  position: number;
  trigger: Trigger;
  match: 'all' | 'any';
  conditions: Condition[];
  actions: Action[];
  maxRunsPerTicket: number;
  createdAt: Date;
  updatedAt: Date;
}

/** A check an availability trigger watches, with its branch's name for the message. */
export interface WatchedLink {
  checkId: string;
  checkName: string;
  branchId: string;
  branch: string;
}

export interface ActionResult {
  type: string;
  ok: boolean;
  detail: Record<string, unknown>;
  error: string | null;
}

export interface RunRow {
  id: number;
  tenantId: string;
  ruleId: string;
  ruleName: string;
  ticketId: string | null;
  ticketNumber: number | null;
  ticketSubject: string | null;
  checkId: string | null;
  key: string;
  at: Date;
  status: AutomationRunStatus;
  facts: Record<string, unknown>;
  matched: unknown[];
  actions: ActionResult[];
  error: string | null;
}

const RULES = 'automation_rules';
const RUNS = 'automation_runs';

const ruleOf = (r: Record<string, unknown>): RuleRow => ({
  id: r.id as string,
  tenantId: r.tenant_id as string,
  name: r.name as string,
  enabled: r.enabled as boolean,
  position: r.position as number,
  trigger: r.trigger as Trigger,
  match: r.match as 'all' | 'any',
  conditions: r.conditions as Condition[],
  actions: r.actions as Action[],
  maxRunsPerTicket: r.max_runs_per_ticket as number,
  createdAt: r.created_at as Date,
  updatedAt: r.updated_at as Date,
});

const runOf = (r: Record<string, unknown>): RunRow => ({
  id: r.id as number,
  tenantId: r.tenant_id as string,
  ruleId: r.rule_id as string,
  ruleName: r.rule_name as string,
  ticketId: r.ticket_id as string | null,
  ticketNumber: (r.ticket_number as number | null) ?? null,
  ticketSubject: (r.ticket_subject as string | null) ?? null,
  checkId: r.check_id as string | null,
  key: r.key as string,
  at: r.at as Date,
  status: r.status as AutomationRunStatus,
  facts: r.facts as Record<string, unknown>,
  matched: r.matched as unknown[],
  actions: r.actions as ActionResult[],
  error: r.error as string | null,
});

export type RuleValues = Omit<RuleRow, 'id' | 'createdAt' | 'updatedAt'>;

/**
 * Rules, their runs and each ticket's evaluation cursor. Rules keep trigger, conditions and
 * actions as JSON documents validated by automation.schemas.ts (like SLA policies,
 * docs/decisions.md "Relational data access"); runs are inserted once per key with
 * `ON CONFLICT DO NOTHING`, which is what makes a job taken twice act once.
 */
export class AutomationRepository {
  constructor(private readonly db: Database) {}

  async rules(tenantId: string | null): Promise<RuleRow[]> {
    const rows = await this.db(RULES)
      .modify((q) => {
        if (tenantId) q.where('tenant_id', tenantId);
      })
      .orderBy([{ column: 'position' }, { column: 'created_at' }]);
    return rows.map(ruleOf);
  }

  async enabledRules(tenantId: string): Promise<RuleRow[]> {
    const rows = await this.db(RULES)
      .where({ tenant_id: tenantId, enabled: true })
      .orderBy([{ column: 'position' }, { column: 'created_at' }]);
    return rows.map(ruleOf);
  }

  /** Tenants with enabled rules of these trigger types (the sweep's work list). */
  async tenantsWithTriggers(types: string[]): Promise<string[]> {
    const rows = await this.db(RULES)
      .where('enabled', true)
      .whereRaw("trigger->>'type' = ANY(?)", [types])
      .distinct('tenant_id');
    return rows.map((r: { tenant_id: string }) => r.tenant_id);
  }

  async rule(id: string): Promise<RuleRow | undefined> {
    const row = await this.db(RULES).where('id', id).first();
    return row ? ruleOf(row) : undefined;
  }

  async create(values: RuleValues): Promise<RuleRow> {
    const [row] = await this.db(RULES).insert(toRow(values)).returning('*');
    return ruleOf(row);
  }

  async update(id: string, values: Partial<RuleValues>): Promise<RuleRow | undefined> {
    const [row] = await this.db(RULES)
      .where('id', id)
      .update({ ...toRow(values), updated_at: this.db.fn.now() })
      .returning('*');
    return row ? ruleOf(row) : undefined;
  }

  async remove(id: string): Promise<boolean> {
    return (await this.db(RULES).where('id', id).delete()) > 0;
  }

  /** Inserts a run unless one with the same rule, subject and key exists; its id, or undefined. */
  async claimRun(run: Omit<RunRow, 'id' | 'ticketNumber' | 'ticketSubject'>) {
    const rows = await this.db(RUNS)
      .insert({
        tenant_id: run.tenantId,
        rule_id: run.ruleId,
        rule_name: run.ruleName,
        ticket_id: run.ticketId,
        check_id: run.checkId,
        key: run.key,
        at: run.at,
        status: run.status,
        facts: JSON.stringify(run.facts),
        matched: JSON.stringify(run.matched),
        actions: JSON.stringify(run.actions),
        error: run.error,
      })
      .onConflict(this.db.raw('(rule_id, ticket_id, check_id, key)'))
      .ignore()
      .returning('id');
    return (rows[0] as { id: number } | undefined)?.id;
  }

  async finishRun(id: number, values: Pick<RunRow, 'status' | 'actions' | 'error' | 'ticketId'>) {
    await this.db(RUNS)
      .where('id', id)
      .update({
        status: values.status,
        actions: JSON.stringify(values.actions),
        error: values.error,
        ticket_id: values.ticketId,
      });
  }

  /** Runs that count towards the cap on runs per ticket (guarded ones do not). */
  async runCount(ruleId: string, ticketId: string): Promise<number> {
    const [row] = await this.db(RUNS)
      .where({ rule_id: ruleId, ticket_id: ticketId })
      .whereNot('status', 'guarded')
      .count({ n: '*' });
    return Number((row as { n: string }).n);
  }

  async runs(filter: { ruleId?: string; ticketId?: string }, limit = 200): Promise<RunRow[]> {
    const rows = await this.db(`${RUNS} as r`)
      .leftJoin('tickets as t', 't.id', 'r.ticket_id')
      .modify((q) => {
        if (filter.ruleId) q.where('r.rule_id', filter.ruleId);
        if (filter.ticketId) q.where('r.ticket_id', filter.ticketId);
      })
      .orderBy('r.id', 'desc')
      .limit(limit)
      .select('r.*', 't.number as ticket_number', 't.subject as ticket_subject');
    return rows.map(runOf);
  }

  async lastRuns(ruleIds: string[]): Promise<Map<string, RunRow>> {
    if (!ruleIds.length) return new Map();
    const rows = await this.db(RUNS)
      .distinctOn('rule_id')
      .whereIn('rule_id', ruleIds)
      .orderBy([{ column: 'rule_id' }, { column: 'id', order: 'desc' }]);
    return new Map(rows.map((r: Record<string, unknown>) => [r.rule_id as string, runOf(r)]));
  }

  /** The active ticket this rule opened for a check, if any (telemetry: one per episode). */
  async activeTicketFor(ruleId: string, checkId: string): Promise<string | undefined> {
    const row = await this.db(`${RUNS} as r`)
      .join('tickets as t', 't.id', 'r.ticket_id')
      .where({ 'r.rule_id': ruleId, 'r.check_id': checkId })
      .whereNotIn('t.state', ['resolved', 'closed'])
      .first('t.id');
    return (row as { id: string } | undefined)?.id;
  }

  async cursor(ticketId: string): Promise<number | undefined> {
    const row = await this.db('automation_cursors').where('ticket_id', ticketId).first();
    return (row as { last_event_id: number } | undefined)?.last_event_id;
  }

  async moveCursor(ticketId: string, tenantId: string, lastEventId: number) {
    await this.db('automation_cursors')
      .insert({ ticket_id: ticketId, tenant_id: tenantId, last_event_id: lastEventId })
      .onConflict('ticket_id')
      .merge({
        last_event_id: this.db.raw('GREATEST(automation_cursors.last_event_id, ?)', [lastEventId]),
      });
  }

  /** A ticket with its history and tags, for evaluation. */
  async history(ticketId: string): Promise<TicketHistory | undefined> {
    const [ticket] = await this.histories({ ids: [ticketId] });
    return ticket;
  }

  /**
   * Tickets with their histories: by id, or a tenant's tickets with an event since `since`,
   * or in some states.
   */
  async histories(filter: {
    ids?: string[];
    tenantId?: string;
    activeSince?: Date;
    states?: string[];
  }): Promise<TicketHistory[]> {
    const tickets = await this.db('tickets as t')
      .modify((q) => {
        if (filter.ids) q.whereIn('t.id', filter.ids);
        if (filter.tenantId) q.where('t.tenant_id', filter.tenantId);
        if (filter.states) q.whereIn('t.state', filter.states);
        if (filter.activeSince)
          q.whereExists(
            this.db('ticket_events as e')
              .whereRaw('e.ticket_id = t.id')
              .where('e.at', '>=', filter.activeSince),
          );
      })
      .orderBy('t.number')
      .limit(5000)
      .select('t.*');
    if (!tickets.length) return [];
    const ids = tickets.map((t: { id: string }) => t.id);
    const events = await this.db('ticket_events')
      .whereIn('ticket_id', ids)
      .orderBy('id')
      .select(
        'id',
        'ticket_id',
        'at',
        'kind',
        'field',
        'old_value',
        'new_value',
        'author_id',
        'visibility',
        'data',
      );
    const tags = await this.db('ticket_tags').whereIn('ticket_id', ids).select('ticket_id', 'tag');
    const byTicket = new Map<string, HistoryEvent[]>();
    for (const e of events as Record<string, unknown>[]) {
      const list = byTicket.get(e.ticket_id as string) ?? [];
      const data = e.data as { automation?: { ruleId: string } } | null;
      list.push({
        id: e.id as number,
        at: e.at as Date,
        kind: e.kind as string,
        field: e.field as string | null,
        oldValue: e.old_value as string | null,
        newValue: e.new_value as string | null,
        authorId: e.author_id as string | null,
        visibility: e.visibility as string,
        automation: data?.automation ?? null,
      });
      byTicket.set(e.ticket_id as string, list);
    }
    return (tickets as Record<string, unknown>[]).map((t) => ({
      id: t.id as string,
      tenantId: t.tenant_id as string,
      number: t.number as number,
      subject: t.subject as string,
      state: t.state as string,
      priority: t.priority as string,
      category: t.category as string | null,
      source: t.source as string,
      branchId: t.branch_id as string | null,
      groupId: t.group_id as string | null,
      assigneeId: t.assignee_id as string | null,
      requesterName: t.requester_name as string | null,
      tags: (tags as { ticket_id: string; tag: string }[])
        .filter((g) => g.ticket_id === t.id)
        .map((g) => g.tag),
      events: byTicket.get(t.id as string) ?? [],
    }));
  }

  /** Rounds of a tenant's checks of one type in [from, to] with the field measured. */
  async rounds(
    tenantId: string,
    checkType: string,
    field: string,
    from: Date,
    to: Date,
  ): Promise<Round[]> {
    const rows = await this.db('check_results as r')
      .join('checks as c', 'c.id', 'r.check_id')
      .where({ 'c.tenant_id': tenantId, 'c.type': checkType })
      .where('r.at', '>=', from)
      .where('r.at', '<=', to)
      .whereRaw("jsonb_typeof(r.fields -> ?) = 'number'", [field])
      .orderBy('r.at')
      .limit(100_000)
      .select(
        'r.check_id',
        'c.key',
        'c.target',
        'c.branch_id',
        'r.at',
        this.db.raw('(r.fields ->> ?)::float8 AS value', [field]),
      );
    return (rows as Record<string, unknown>[]).map((r) => ({
      checkId: r.check_id as string,
      checkName: `${r.key as string} (${r.target as string})`,
      branchId: r.branch_id as string,
      at: r.at as Date,
      field,
      value: r.value as number,
    }));
  }

  async hasRun(ruleId: string, checkId: string, key: string): Promise<boolean> {
    const row = await this.db(RUNS).where({ rule_id: ruleId, check_id: checkId, key }).first('id');
    return row !== undefined;
  }

  /** The checks an availability trigger watches: one, or every branch's WAN link. */
  async watchedLinks(tenantId: string, checkId: string | null): Promise<WatchedLink[]> {
    const q = this.db('checks as c')
      .join('branches as b', 'b.id', 'c.branch_id')
      .where('c.tenant_id', tenantId)
      .select('c.id', 'c.key', 'c.target', 'c.branch_id', 'b.name as branch');
    if (checkId) q.where('c.id', checkId);
    else q.where('c.role', 'wan');
    const rows = (await q.orderBy('b.name')) as Record<string, unknown>[];
    return rows.map((r) => ({
      checkId: r.id as string,
      checkName: `${r.key as string} (${r.target as string})`,
      branchId: r.branch_id as string,
      branch: r.branch as string,
    }));
  }

  /** Whether an id names a row of the tenant's (rules may not point at another tenant's). */
  async owned(
    table: 'checks' | 'users' | 'support_groups' | 'notify_subscriptions',
    id: string,
    tenantId: string,
  ): Promise<boolean> {
    const row = await this.db(table)
      .where('id', id)
      .andWhere((q) => {
        q.where('tenant_id', tenantId);
        // Groups shared by every tenant may be told too.
        if (table === 'support_groups') q.orWhereNull('tenant_id');
      })
      .first('id');
    return row !== undefined;
  }
}

function toRow(v: Partial<RuleValues>) {
  const row: Record<string, unknown> = {};
  if (v.tenantId !== undefined) row.tenant_id = v.tenantId;
  if (v.name !== undefined) row.name = v.name;
  if (v.enabled !== undefined) row.enabled = v.enabled;
  if (v.position !== undefined) row.position = v.position;
  if (v.trigger !== undefined) row.trigger = JSON.stringify(v.trigger);
  if (v.match !== undefined) row.match = v.match;
  if (v.conditions !== undefined) row.conditions = JSON.stringify(v.conditions);
  if (v.actions !== undefined) row.actions = JSON.stringify(v.actions);
  if (v.maxRunsPerTicket !== undefined) row.max_runs_per_ticket = v.maxRunsPerTicket;
  return row;
}
