import type { Database } from '../db/database.js';

export interface TicketFacts {
  id: string;
  tenantId: string;
  number: number;
  subject: string;
  priority: string;
  state: string;
  branch: string | null;
  assigneeId: string | null;
  assignee: string | null;
  createdBy: string | null;
  watchers: string[];
}

export interface TicketEventRow {
  id: string;
  kind: string;
  field: string | null;
  newValue: string | null;
  body: string | null;
  visibility: string;
  authorId: string | null;
  author: string | null;
  data: Record<string, unknown> | null;
}

const URGENT_FIRST = `CASE priority WHEN 'urgent' THEN 0 WHEN 'high' THEN 1 WHEN 'normal' THEN 2 ELSE 3 END`;

/** Read-only facts about tickets, agents and checks that notifications are written from. */
export class NotifySourceRepository {
  constructor(private readonly db: Database) {}

  async ticket(id: string): Promise<TicketFacts | undefined> {
    const row = await this.db('tickets as t')
      .leftJoin('branches as b', 'b.id', 't.branch_id')
      .leftJoin('users as u', 'u.id', 't.assignee_id')
      .where('t.id', id)
      .first(
        't.id',
        't.tenant_id',
        't.number',
        't.subject',
        't.priority',
        't.state',
        'b.name as branch',
        't.assignee_id',
        'u.username as assignee',
        't.created_by',
      );
    if (!row) return undefined;
    const watchers = await this.db('ticket_watchers').where({ ticket_id: id }).pluck('user_id');
    return {
      id: row.id,
      tenantId: row.tenant_id,
      number: Number(row.number),
      subject: row.subject,
      priority: row.priority,
      state: row.state,
      branch: row.branch ?? null,
      assigneeId: row.assignee_id,
      assignee: row.assignee ?? null,
      createdBy: row.created_by,
      watchers,
    };
  }

  /**
   * The ticket's events not announced yet (after its cursor; without one, those since
   * `since`), oldest first; moves the cursor past them.
   */
  async takeTicketEvents(ticketId: string, since: Date): Promise<TicketEventRow[]> {
    const cursor = await this.db('notify_ticket_cursor')
      .where({ ticket_id: ticketId })
      .first('last_event_id');
    const q = this.db('ticket_events as e')
      .leftJoin('users as u', 'u.id', 'e.author_id')
      .where('e.ticket_id', ticketId);
    if (cursor) q.andWhere('e.id', '>', cursor.last_event_id);
    else q.andWhere('e.at', '>=', since);
    const rows = await q.orderBy('e.id').select('e.*', 'u.username as author');
    const events = rows.map((r: Record<string, unknown>) => ({
      id: String(r.id),
      kind: r.kind as string,
      field: (r.field as string | null) ?? null,
      newValue: (r.new_value as string | null) ?? null,
      body: (r.body as string | null) ?? null,
      visibility: (r.visibility as string | undefined) ?? 'public',
      authorId: (r.author_id as string | null) ?? null,
      author: (r.author as string | null) ?? null,
      data: (r.data as Record<string, unknown> | null) ?? null,
    }));
    const last = rows.at(-1) as { id: string } | undefined;
    if (last) {
      await this.db.raw(
        `INSERT INTO notify_ticket_cursor (ticket_id, last_event_id) VALUES (?, ?)
         ON CONFLICT (ticket_id) DO UPDATE
         SET last_event_id = GREATEST(notify_ticket_cursor.last_event_id, EXCLUDED.last_event_id)`,
        [ticketId, last.id],
      );
    }
    return events;
  }

  /** Ticket numbers are unique across tenants. */
  async ticketIdByNumber(number: number): Promise<string | undefined> {
    return (await this.db('tickets').where({ number }).first('id'))?.id;
  }

  async ticketExists(id: string): Promise<boolean> {
    return !!(await this.db('tickets').where({ id }).first('id'));
  }

  async tenantIds(): Promise<string[]> {
    return this.db('tenants').pluck('id');
  }

  async username(id: string): Promise<string | undefined> {
    return (await this.db('users').where({ id }).first('username'))?.username;
  }

  async agent(id: string) {
    return this.db('agents as a')
      .join('branches as b', 'b.id', 'a.branch_id')
      .where('a.id', id)
      .first('a.name as agent', 'b.name as branch', 'a.tenant_id as tenantId') as Promise<
      { agent: string; branch: string; tenantId: string } | undefined
    >;
  }

  async check(id: string) {
    return this.db('checks as c')
      .join('branches as b', 'b.id', 'c.branch_id')
      .where('c.id', id)
      .first('c.key as check', 'b.name as branch') as Promise<
      { check: string; branch: string } | undefined
    >;
  }

  /**
   * For a user's daily digest: the open tickets the user is concerned by (assignee, creator or
   * watcher, as for notifications), most urgent first, at most `limit`; and how many in all.
   */
  async openTicketsOf(userId: string, limit = 50) {
    const concerned = () =>
      this.db('tickets as t')
        .whereNotIn('t.state', ['resolved', 'closed'])
        .andWhere((q) =>
          q
            .where('t.assignee_id', userId)
            .orWhere('t.created_by', userId)
            .orWhereExists(
              this.db('ticket_watchers as w')
                .whereRaw('w.ticket_id = t.id')
                .andWhere('w.user_id', userId),
            ),
        );
    const rows = (await concerned()
      .orderByRaw(URGENT_FIRST)
      .orderBy('t.number')
      .limit(limit)
      .select('t.id', 't.number', 't.subject', 't.priority')) as {
      id: string;
      number: string | number;
      subject: string;
      priority: string;
    }[];
    const [total] = await concerned().count({ n: '*' });
    return {
      count: Number(total?.n ?? 0),
      tickets: rows.map((r) => ({ ...r, number: Number(r.number) })),
    };
  }

  /** For the daily digest: counts and the open tickets of a tenant (all tenants: null). */
  async digest(tenantId: string | null, since: Date) {
    const tickets = () => {
      const q = this.db('tickets');
      return tenantId ? q.where({ tenant_id: tenantId }) : q;
    };
    const open = (await tickets()
      .whereNotIn('state', ['resolved', 'closed'])
      .orderByRaw(URGENT_FIRST)
      .orderBy('number')
      .limit(50)
      .select('id', 'number', 'subject', 'priority')) as {
      id: string;
      number: number;
      subject: string;
      priority: string;
    }[];
    const opened = await tickets().where('opened_at', '>=', since).count({ n: '*' });
    const resolved = await tickets().where('resolved_at', '>=', since).count({ n: '*' });
    const openCount = await tickets().whereNotIn('state', ['resolved', 'closed']).count({ n: '*' });
    return {
      open: open.map((t) => ({ ...t, number: Number(t.number) })),
      openCount: Number(openCount[0]?.n ?? 0),
      opened: Number(opened[0]?.n ?? 0),
      resolved: Number(resolved[0]?.n ?? 0),
    };
  }
}
