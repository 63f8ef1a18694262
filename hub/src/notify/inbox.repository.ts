import type { Database } from '../db/database.js';
import type { InboxData, InboxEntry, InboxKind } from './inbox.js';

export interface InboxItem {
  id: string;
  kind: InboxKind;
  ticketId: string | null;
  data: InboxData;
  createdAt: Date;
  readAt: Date | null;
}

/**
 * The notification centre's rows. Written through the pool (after the emitting request ended),
 * read and marked through the request's scope: row-level security keeps a tenant's rows to it,
 * and every query here keeps a person's to them.
 */
export class InboxRepository {
  constructor(private readonly db: Database) {}

  /**
   * One row per entry; an entry already written for this event and person is left alone.
   * Answers the people who got a new row.
   */
  async add(ticketId: string, sourceKey: string, entries: InboxEntry[]): Promise<string[]> {
    const added: string[] = [];
    for (const e of entries) {
      const result = await this.db.raw(
        `INSERT INTO inbox_notifications (tenant_id, branch_id, user_id, ticket_id, kind, data, source_key)
         SELECT t.tenant_id, t.branch_id, ?, t.id, ?, ?::jsonb, ? FROM tickets t WHERE t.id = ?
         ON CONFLICT (user_id, source_key) DO NOTHING`,
        [e.userId, e.kind, JSON.stringify(e.data), sourceKey, ticketId],
      );
      if (((result as { rowCount?: number }).rowCount ?? 0) > 0) added.push(e.userId);
    }
    return added;
  }

  async list(userId: string, limit: number): Promise<{ items: InboxItem[]; unread: number }> {
    const rows = await this.db('inbox_notifications')
      .where({ user_id: userId })
      .orderBy([
        { column: 'created_at', order: 'desc' },
        { column: 'id', order: 'desc' },
      ])
      .limit(limit)
      .select('id', 'kind', 'ticket_id', 'data', 'created_at', 'read_at');
    const [{ count }] = (await this.db('inbox_notifications')
      .where({ user_id: userId })
      .whereNull('read_at')
      .count({ count: '*' })) as [{ count: string | number }];
    return {
      items: rows.map((r: Record<string, unknown>) => ({
        id: r.id as string,
        kind: r.kind as InboxKind,
        ticketId: (r.ticket_id as string | null) ?? null,
        data: r.data as InboxData,
        createdAt: r.created_at as Date,
        readAt: (r.read_at as Date | null) ?? null,
      })),
      unread: Number(count),
    };
  }

  /** Marks one row read (or unread again); false when it is not the person's. */
  async mark(userId: string, id: string, read: boolean): Promise<boolean> {
    const n = await this.db('inbox_notifications')
      .where({ id, user_id: userId })
      .update({ read_at: read ? this.db.fn.now() : null });
    return n > 0;
  }

  async markAll(userId: string): Promise<number> {
    return this.db('inbox_notifications')
      .where({ user_id: userId })
      .whereNull('read_at')
      .update({ read_at: this.db.fn.now() });
  }
}
