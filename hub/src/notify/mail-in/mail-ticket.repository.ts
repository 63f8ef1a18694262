import type { Database } from '../../db/database.js';

/** What mail to ticket remembers of each Message-ID. */
export class MailTicketRepository {
  constructor(private readonly db: Database) {}

  async seen(messageId: string): Promise<boolean> {
    return !!(await this.db('notify_mail_messages')
      .where({ message_id: messageId })
      .first('message_id'));
  }

  async ticketOf(messageIds: string[]): Promise<string | undefined> {
    if (!messageIds.length) return undefined;
    const row = await this.db('notify_mail_messages')
      .whereIn('message_id', messageIds)
      .whereNotNull('ticket_id')
      .first('ticket_id');
    return row?.ticket_id;
  }

  async remember(messageId: string, ticketId: string | null, outcome: string): Promise<void> {
    await this.db('notify_mail_messages')
      .insert({ message_id: messageId, ticket_id: ticketId, outcome })
      .onConflict('message_id')
      .ignore();
  }

  /** The hub user a sender's address belongs to (their notification address). */
  async userByEmail(address: string) {
    const row = await this.db('notify_preferences as p')
      .join('users as u', 'u.id', 'p.user_id')
      .whereRaw('lower(p.email) = lower(?)', [address])
      .first('u.id', 'u.username', 'u.role', 'u.tenant_id');
    return row
      ? { id: row.id, username: row.username, role: row.role, tenantId: row.tenant_id }
      : undefined;
  }

  async userByName(username: string) {
    const row = await this.db('users')
      .where({ username })
      .first('id', 'username', 'role', 'tenant_id');
    return row
      ? { id: row.id, username: row.username, role: row.role, tenantId: row.tenant_id }
      : undefined;
  }
}
