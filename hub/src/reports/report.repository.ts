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
