import type { Database } from '../db/database.js';

export interface AttachmentRow {
  id: string;
  ticketId: string;
  name: string;
  mimeType: string;
  size: number;
  sha256: string;
  authorId: string | null;
  createdAt: Date;
}

export interface CannedReply {
  id: string;
  tenantId: string | null;
  name: string;
  body: string;
}

export interface PersonRef {
  id: string;
  username: string;
  tenantId: string | null;
}

/** What hangs off a ticket: tags, watchers, links, attachments; canned replies; people. */
export class TicketRelationsRepository {
  constructor(private readonly db: Database) {}

  async tags(ticketId: string): Promise<string[]> {
    const rows = await this.db('ticket_tags').where({ ticket_id: ticketId }).orderBy('tag');
    return rows.map((r: { tag: string }) => r.tag);
  }

  /** True when the tag was new on the ticket. */
  async addTag(ticketId: string, tag: string): Promise<boolean> {
    const rows = await this.db('ticket_tags')
      .insert({ ticket_id: ticketId, tag })
      .onConflict(['ticket_id', 'tag'])
      .ignore()
      .returning('tag');
    return rows.length === 1;
  }

  async removeTag(ticketId: string, tag: string): Promise<boolean> {
    return (await this.db('ticket_tags').where({ ticket_id: ticketId, tag }).delete()) > 0;
  }

  async watchers(ticketId: string): Promise<PersonRef[]> {
    return this.db('ticket_watchers as w')
      .join('users as u', 'u.id', 'w.user_id')
      .where('w.ticket_id', ticketId)
      .orderBy('u.username')
      .select('u.id', 'u.username', 'u.tenant_id as tenantId');
  }

  async addWatcher(ticketId: string, userId: string): Promise<boolean> {
    const rows = await this.db('ticket_watchers')
      .insert({ ticket_id: ticketId, user_id: userId })
      .onConflict(['ticket_id', 'user_id'])
      .ignore()
      .returning('user_id');
    return rows.length === 1;
  }

  async removeWatcher(ticketId: string, userId: string): Promise<boolean> {
    return (
      (await this.db('ticket_watchers').where({ ticket_id: ticketId, user_id: userId }).delete()) >
      0
    );
  }

  /** Linked tickets, either direction, with their number and subject. */
  async links(ticketId: string): Promise<{ id: string; number: number; subject: string }[]> {
    return this.db('ticket_links as l')
      .join('tickets as t', 't.id', 'l.linked_id')
      .where('l.ticket_id', ticketId)
      .orderBy('t.number')
      .select('t.id', 't.number', 't.subject');
  }

  /** Links both ways; true when the link was new. */
  async link(a: string, b: string): Promise<boolean> {
    const rows = await this.db('ticket_links')
      .insert([
        { ticket_id: a, linked_id: b },
        { ticket_id: b, linked_id: a },
      ])
      .onConflict(['ticket_id', 'linked_id'])
      .ignore()
      .returning('ticket_id');
    return rows.length > 0;
  }

  /**
   * Moves the source's conversation (replies and notes; the opening text is copied),
   * attachments, tags and watchers to the target, marking each event with where it came from.
   */
  async moveConversation(sourceId: string, targetId: string, sourceNumber: number) {
    await this.db.transaction(async (trx) => {
      const mergedFrom = trx.raw(
        `coalesce(data, '{}'::jsonb) || jsonb_build_object('mergedFrom', ?::int)`,
        [sourceNumber],
      );
      // The opening text is copied as a note; the source keeps its own history.
      await trx.raw(
        `INSERT INTO ticket_events (ticket_id, at, kind, body, author_id, visibility, data)
         SELECT ?, at, 'reply', body, author_id, 'public', jsonb_build_object('mergedFrom', ?::int)
         FROM ticket_events WHERE ticket_id = ? AND kind = 'opened'`,
        [targetId, sourceNumber, sourceId],
      );
      await trx('ticket_events')
        .where({ ticket_id: sourceId })
        .whereIn('kind', ['reply', 'note', 'attachment'])
        .update({ ticket_id: targetId, data: mergedFrom });
      await trx('ticket_attachments')
        .where({ ticket_id: sourceId })
        .update({ ticket_id: targetId });
      await trx.raw(
        `INSERT INTO ticket_tags (ticket_id, tag) SELECT ?, tag FROM ticket_tags WHERE ticket_id = ?
         ON CONFLICT DO NOTHING`,
        [targetId, sourceId],
      );
      await trx.raw(
        `INSERT INTO ticket_watchers (ticket_id, user_id)
         SELECT ?, user_id FROM ticket_watchers WHERE ticket_id = ? ON CONFLICT DO NOTHING`,
        [targetId, sourceId],
      );
    });
  }

  /** `clientKey`: the portal's `Idempotency-Key`, unique per ticket and author (migration 043). */
  async addAttachment(
    values: Omit<AttachmentRow, 'id' | 'createdAt'>,
    clientKey?: string,
  ): Promise<AttachmentRow> {
    // In a transaction of its own (a savepoint inside the request's): a key that raced another
    // fails alone, and the caller can still read the row that won.
    const [row] = await this.db.transaction((trx) =>
      trx('ticket_attachments')
        .insert({
          ticket_id: values.ticketId,
          name: values.name,
          mime_type: values.mimeType,
          size: values.size,
          sha256: values.sha256,
          author_id: values.authorId,
          client_key: clientKey ?? null,
        })
        .returning('*'),
    );
    return attachmentView(row);
  }

  async attachmentByClientKey(
    ticketId: string,
    authorId: string,
    clientKey: string,
  ): Promise<AttachmentRow | undefined> {
    const row = await this.db('ticket_attachments')
      .where({ ticket_id: ticketId, author_id: authorId, client_key: clientKey })
      .first();
    return row ? attachmentView(row) : undefined;
  }

  async attachments(ticketId: string): Promise<AttachmentRow[]> {
    const rows = await this.db('ticket_attachments')
      .where({ ticket_id: ticketId })
      .orderBy('created_at');
    return rows.map(attachmentView);
  }

  async findAttachment(id: string): Promise<AttachmentRow | undefined> {
    const row = await this.db('ticket_attachments').where({ id }).first();
    return row ? attachmentView(row) : undefined;
  }

  async cannedReplies(tenantId: string | null): Promise<CannedReply[]> {
    const rows = await this.db('canned_replies')
      .modify((q) => {
        if (tenantId) q.where((w) => w.where('tenant_id', tenantId).orWhereNull('tenant_id'));
      })
      .orderBy('name');
    return rows.map(cannedView);
  }

  async findCannedReply(id: string): Promise<CannedReply | undefined> {
    const row = await this.db('canned_replies').where({ id }).first();
    return row ? cannedView(row) : undefined;
  }

  async createCannedReply(values: Omit<CannedReply, 'id'>): Promise<CannedReply> {
    const [row] = await this.db('canned_replies')
      .insert({ tenant_id: values.tenantId, name: values.name, body: values.body })
      .returning('*');
    return cannedView(row);
  }

  async updateCannedReply(id: string, values: Partial<Pick<CannedReply, 'name' | 'body'>>) {
    const [row] = await this.db('canned_replies')
      .where({ id })
      .update({
        ...(values.name !== undefined ? { name: values.name } : {}),
        ...(values.body !== undefined ? { body: values.body } : {}),
      })
      .returning('*');
    return cannedView(row);
  }

  async removeCannedReply(id: string): Promise<void> {
    await this.db('canned_replies').where({ id }).delete();
  }

  /** People by username, case-insensitively (for @mentions). */
  async peopleByUsername(usernames: string[]): Promise<PersonRef[]> {
    if (usernames.length === 0) return [];
    return this.db('users')
      .whereRaw('lower(username) = ANY(?)', [usernames.map((u) => u.toLowerCase())])
      .select('id', 'username', 'tenant_id as tenantId');
  }

  async person(id: string): Promise<PersonRef | undefined> {
    return this.db('users').where({ id }).first('id', 'username', 'tenant_id as tenantId');
  }

  /** Display names of branches, people, groups and SLA policies by id (exports, history). */
  async labels(ids: {
    branches: string[];
    users: string[];
    groups: string[];
    policies?: string[];
  }) {
    const pairs = async (table: string, column: string, list: string[]) =>
      new Map<string, string>(
        list.length
          ? (
              await this.db(table)
                .whereIn('id', [...new Set(list)])
                .select('id', column)
            ).map((r: Record<string, string>) => [r.id!, r[column]!])
          : [],
      );
    return {
      branches: await pairs('branches', 'name', ids.branches),
      users: await pairs('users', 'username', ids.users),
      groups: await pairs('support_groups', 'name', ids.groups),
      policies: await pairs('sla_policies', 'name', ids.policies ?? []),
    };
  }

  async branchName(id: string): Promise<string | undefined> {
    return (await this.db('branches').where({ id }).first('name'))?.name as string | undefined;
  }
}

const attachmentView = (r: Record<string, unknown>): AttachmentRow => ({
  id: r.id as string,
  ticketId: r.ticket_id as string,
  name: r.name as string,
  mimeType: r.mime_type as string,
  size: r.size as number,
  sha256: r.sha256 as string,
  authorId: r.author_id as string | null,
  createdAt: r.created_at as Date,
});

const cannedView = (r: Record<string, unknown>): CannedReply => ({
  id: r.id as string,
  tenantId: r.tenant_id as string | null,
  name: r.name as string,
  body: r.body as string,
});
