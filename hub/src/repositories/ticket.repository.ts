import type { Database } from '../db/database.js';
import {
  ACTIVE_TICKET_STATES,
  Ticket,
  TicketEvent,
  type TicketEventKind,
  type TicketState,
} from '../models/ticket.model.js';

export interface TicketFilter {
  tenantId: string | null;
  /** `active` means any state but resolved and closed. */
  state?: TicketState | 'active';
  limit: number;
  offset: number;
}

export class TicketRepository {
  constructor(private readonly db: Database) {}

  list(filter: TicketFilter) {
    return Ticket.query(this.db)
      .modify((q) => {
        if (filter.tenantId) q.where('tenant_id', filter.tenantId);
        if (filter.state === 'active') q.whereIn('state', ACTIVE_TICKET_STATES);
        else if (filter.state) q.where('state', filter.state);
      })
      .orderBy('opened_at', 'desc')
      .limit(filter.limit)
      .offset(filter.offset);
  }

  findById(id: string) {
    return Ticket.query(this.db).findById(id);
  }

  /** The ticket's history, oldest first, with each author's username (null for the hub). */
  async events(ticketId: string): Promise<(TicketEvent & { author: string | null })[]> {
    const events = await TicketEvent.query(this.db)
      .where({ ticket_id: ticketId })
      .orderBy(['at', 'id']);
    const authorIds = [...new Set(events.flatMap((e) => (e.authorId ? [e.authorId] : [])))];
    const names = new Map<string, string>(
      authorIds.length
        ? (await this.db('users').whereIn('id', authorIds).select('id', 'username')).map(
            (u: { id: string; username: string }) => [u.id, u.username],
          )
        : [],
    );
    return events.map((e) =>
      Object.assign(e, { author: e.authorId ? (names.get(e.authorId) ?? null) : null }),
    );
  }

  findActiveByFingerprint(fingerprint: string) {
    return Ticket.query(this.db)
      .findOne({ fingerprint })
      .whereIn('state', ACTIVE_TICKET_STATES as TicketState[]);
  }

  /**
   * Opens an alert ticket with its first event, unless an active one has the fingerprint: the
   * partial unique index decides, so two hubs racing still make one ticket. Returns the new
   * ticket, or undefined when one was already open.
   */
  async openForAlert(values: {
    tenantId: string;
    branchId: string;
    agentId: string;
    checkId: string;
    fingerprint: string;
    subject: string;
    openedAt: Date;
    body: string;
  }): Promise<Ticket | undefined> {
    return this.db.transaction(async (trx) => {
      const { body, ...ticket } = values;
      const rows = await trx('tickets')
        .insert({
          tenant_id: ticket.tenantId,
          branch_id: ticket.branchId,
          agent_id: ticket.agentId,
          check_id: ticket.checkId,
          fingerprint: ticket.fingerprint,
          subject: ticket.subject,
          opened_at: ticket.openedAt,
          updated_at: ticket.openedAt,
          state: 'open',
          source: 'alert',
        })
        .onConflict(
          this.db.raw(
            `(fingerprint) WHERE fingerprint IS NOT NULL AND state NOT IN ('resolved', 'closed')`,
          ),
        )
        .ignore()
        .returning('id');
      const id = rows[0]?.id as string | undefined;
      if (!id) return undefined;
      await TicketEvent.query(trx).insert({
        ticketId: id,
        kind: 'opened',
        body,
        at: ticket.openedAt,
      });
      return Ticket.query(trx).findById(id);
    });
  }

  async addEvent(ticketId: string, kind: TicketEventKind, body: string, at: Date): Promise<void> {
    await TicketEvent.query(this.db).insert({ ticketId, kind, body, at });
    await Ticket.query(this.db).findById(ticketId).patch({ updatedAt: at });
  }

  /** True when a person has written on or changed the ticket. */
  async hasHumanActivity(ticketId: string): Promise<boolean> {
    const row = await TicketEvent.query(this.db)
      .where({ ticket_id: ticketId })
      .whereNotNull('author_id')
      .first();
    return row !== undefined;
  }

  async resolve(ticketId: string, at: Date, body: string): Promise<void> {
    await this.db.transaction(async (trx) => {
      await Ticket.query(trx)
        .findById(ticketId)
        .patch({ state: 'resolved', resolvedAt: at, updatedAt: at });
      await TicketEvent.query(trx).insert({ ticketId, kind: 'resolved', body, at });
    });
  }
}
