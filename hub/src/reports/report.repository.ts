import type { Database } from '../db/database.js';
import { Ticket, TicketEvent } from '../helpdesk/ticket.model.js';

export const REPORT_GROUPINGS = ['tenant', 'branch', 'group', 'person', 'category'] as const;
export type ReportGrouping = (typeof REPORT_GROUPINGS)[number];

// The column a grouping keys on, and the readable name shown beside the key.
const KEYS: Record<ReportGrouping, { key: string; label: string }> = {
  tenant: { key: 't.tenant_id', label: 'tn.name' },
  branch: { key: 't.branch_id', label: 'b.name' },
  group: { key: 't.group_id', label: 'g.name' },
  person: { key: 't.assignee_id', label: 'u.username' },
  category: { key: 't.category', label: 't.category' },
};

export type ReportTicket = Ticket & { groupKey: string | null; groupLabel: string | null };

/** Which tickets a dashboard covers: opened in [from, to), of a tenant and a branch when set. */
export interface DashboardFilter {
  tenantId: string | null;
  branchId: string | null;
  from: Date;
  to: Date;
}

/** A ticket as the dashboard counts it, with the names of its branch, assignee and group. */
export type DashboardTicket = Ticket & {
  branchName: string | null;
  assigneeName: string | null;
  groupName: string | null;
};

/** A branch and its WAN check (the link whose availability the dashboard shows). */
export interface BranchLink {
  branchId: string;
  branchName: string;
  checkId: string | null;
}

/** The tickets a report covers and their histories. */
export class ReportRepository {
  constructor(private readonly db: Database) {}

  /** Tickets opened in [from, to) of one tenant (every tenant for null), keyed by `groupBy`. */
  async ticketsOpened(
    tenantId: string | null,
    from: Date,
    to: Date,
    groupBy: ReportGrouping,
    after: number,
    limit: number,
  ): Promise<ReportTicket[]> {
    const { key, label } = KEYS[groupBy];
    return (await Ticket.query(this.db)
      .alias('t')
      .leftJoin('tenants as tn', 'tn.id', 't.tenant_id')
      .leftJoin('branches as b', 'b.id', 't.branch_id')
      .leftJoin('support_groups as g', 'g.id', 't.group_id')
      .leftJoin('users as u', 'u.id', 't.assignee_id')
      .select(
        't.*',
        this.db.raw(`${key}::text as group_key`),
        this.db.raw(`${label} as group_label`),
      )
      .modify((q) => (tenantId ? q.where('t.tenant_id', tenantId) : q))
      .where('t.opened_at', '>=', from)
      .where('t.opened_at', '<', to)
      .where('t.number', '>', after)
      .orderBy('t.number')
      .limit(limit)) as ReportTicket[];
  }

  /** A page of the tickets a dashboard covers, by number after `after`. */
  async dashboardTickets(
    filter: DashboardFilter,
    after: number,
    limit: number,
  ): Promise<DashboardTicket[]> {
    return (await Ticket.query(this.db)
      .alias('t')
      .leftJoin('branches as b', 'b.id', 't.branch_id')
      .leftJoin('support_groups as g', 'g.id', 't.group_id')
      .leftJoin('users as u', 'u.id', 't.assignee_id')
      .select('t.*', 'b.name as branch_name', 'u.username as assignee_name', 'g.name as group_name')
      .modify((q) => (filter.tenantId ? q.where('t.tenant_id', filter.tenantId) : q))
      .modify((q) => (filter.branchId ? q.where('t.branch_id', filter.branchId) : q))
      .where('t.opened_at', '>=', filter.from)
      .where('t.opened_at', '<', filter.to)
      .where('t.number', '>', after)
      .orderBy('t.number')
      .limit(limit)) as DashboardTicket[];
  }

  /** The branches a dashboard covers, each with its WAN check if it has one. */
  async branchLinks(filter: Pick<DashboardFilter, 'tenantId' | 'branchId'>): Promise<BranchLink[]> {
    const rows = await this.db('branches as b')
      .leftJoin('checks as c', (j) => j.on('c.branch_id', 'b.id').andOnVal('c.role', 'wan'))
      .modify((q) => (filter.tenantId ? q.where('b.tenant_id', filter.tenantId) : q))
      .modify((q) => (filter.branchId ? q.where('b.id', filter.branchId) : q))
      .orderBy([{ column: 'b.name' }, { column: 'c.key' }])
      .select('b.id as branchId', 'b.name as branchName', 'c.id as checkId');
    // One link per branch: the first WAN check by key.
    const seen = new Set<string>();
    return (rows as BranchLink[]).filter((r) => !seen.has(r.branchId) && seen.add(r.branchId));
  }

  /**
   * Ratings requesters gave in [from, to): how many and their mean (1–5). Null when the
   * ratings table does not exist (a hub without the requester portal).
   */
  async satisfaction(
    filter: DashboardFilter,
  ): Promise<{ ratings: number; mean: number | null } | null> {
    const exists = await this.db.raw(`SELECT to_regclass('ticket_ratings') IS NOT NULL AS present`);
    if (!exists.rows[0]?.present) return null;
    const row = await this.db('ticket_ratings as r')
      .modify((q) => (filter.tenantId ? q.where('r.tenant_id', filter.tenantId) : q))
      .modify((q) => (filter.branchId ? q.where('r.branch_id', filter.branchId) : q))
      .where('r.rated_at', '>=', filter.from)
      .where('r.rated_at', '<', filter.to)
      .first(this.db.raw('count(*)::int AS ratings'), this.db.raw('avg(r.score)::float AS mean'));
    return { ratings: Number(row?.ratings ?? 0), mean: row?.mean ?? null };
  }

  /** The names of a tenant and a branch, as the caller may see them (undefined: not visible). */
  async tenantName(id: string): Promise<string | undefined> {
    return ((await this.db('tenants').where({ id }).first('name')) as { name: string } | undefined)
      ?.name;
  }

  async branch(id: string): Promise<{ name: string; tenantId: string } | undefined> {
    return (await this.db('branches').where({ id }).first('name', 'tenant_id as tenantId')) as
      { name: string; tenantId: string } | undefined;
  }

  /** The histories of `ticketIds`, oldest first, grouped by ticket. */
  async events(ticketIds: string[]): Promise<Map<string, TicketEvent[]>> {
    const rows = await TicketEvent.query(this.db)
      .whereIn('ticket_id', ticketIds)
      .orderBy([{ column: 'ticket_id' }, { column: 'at' }, { column: 'id' }]);
    const byTicket = new Map<string, TicketEvent[]>();
    for (const row of rows) {
      const list = byTicket.get(row.ticketId) ?? [];
      list.push(row);
      byTicket.set(row.ticketId, list);
    }
    return byTicket;
  }
}
