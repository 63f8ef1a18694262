import type { Database } from '../db/database.js';
import { Ticket } from '../helpdesk/ticket.model.js';
import { ACTIVE_TICKET_STATES } from '@branchwatch/api';

/** Which tickets a person sees in the portal (docs/requesters.md "What a requester sees"). */
export interface PortalReach {
  userId: string;
  /** Every ticket of their branches (`portal.branch_tickets`), not only their own. */
  branchWide: boolean;
}

export interface Rating {
  ticketId: string;
  score: number;
  comment: string | null;
  ratedAt: Date;
}

export interface KnownIncident {
  ticket: Ticket;
  branchName: string | null;
  followed: boolean;
}

const PORTAL_LIST_MAX = 500;

/**
 * The portal's reads and its ratings table (migration 028). Tenant and branch scope come from
 * row-level security (the request runs as bw_api with the user's branches); the person's own
 * reach (their tickets and the ones they follow) is added here.
 */
export class PortalRepository {
  constructor(private readonly db: Database) {}

  private reachable(reach: PortalReach) {
    const query = Ticket.query(this.db);
    if (reach.branchWide) return query;
    return query.where((w) =>
      w
        .where('created_by', reach.userId)
        .orWhereExists(
          this.db('ticket_watchers as w')
            .whereRaw('w.ticket_id = tickets.id')
            .where('w.user_id', reach.userId),
        ),
    );
  }

  async list(reach: PortalReach): Promise<Ticket[]> {
    return await this.reachable(reach)
      .whereNull('merged_into_id')
      .orderBy([
        { column: 'updated_at', order: 'desc' },
        { column: 'number', order: 'desc' },
      ])
      .limit(PORTAL_LIST_MAX);
  }

  async find(id: string, reach: PortalReach): Promise<Ticket | undefined> {
    return this.reachable(reach).findById(id);
  }

  /** Active alert tickets of the branches the person may see: what is already known. */
  async knownIncidents(userId: string): Promise<KnownIncident[]> {
    const rows = await Ticket.query(this.db)
      .where({ source: 'alert' })
      .whereIn('state', ACTIVE_TICKET_STATES)
      .whereNull('merged_into_id')
      .orderBy('opened_at', 'desc')
      .limit(50);
    if (!rows.length) return [];
    const ids = rows.map((t) => t.id);
    const followed = new Set<string>(
      (
        (await this.db('ticket_watchers')
          .whereIn('ticket_id', ids)
          .where({ user_id: userId })
          .select('ticket_id')) as { ticket_id: string }[]
      ).map((r) => r.ticket_id),
    );
    const names = await this.branchNames(rows);
    return rows.map((ticket) => ({
      ticket,
      branchName: ticket.branchId ? (names.get(ticket.branchId) ?? null) : null,
      followed: followed.has(ticket.id),
    }));
  }

  /** The names of the branches of `tickets`, by id. */
  async branchNames(tickets: readonly Ticket[]): Promise<Map<string, string>> {
    const ids = [...new Set(tickets.flatMap((t) => (t.branchId ? [t.branchId] : [])))];
    if (!ids.length) return new Map();
    const rows = (await this.db('branches').whereIn('id', ids).select('id', 'name')) as {
      id: string;
      name: string;
    }[];
    return new Map(rows.map((b) => [b.id, b.name]));
  }

  async ratingOf(ticketId: string): Promise<Rating | undefined> {
    const row = (await this.db('ticket_ratings')
      .where({ ticket_id: ticketId })
      .first('ticket_id', 'score', 'comment', 'rated_at')) as
      { ticket_id: string; score: number; comment: string | null; rated_at: Date } | undefined;
    return row
      ? { ticketId: row.ticket_id, score: row.score, comment: row.comment, ratedAt: row.rated_at }
      : undefined;
  }

  async ratingsOf(ticketIds: string[]): Promise<Map<string, number>> {
    if (!ticketIds.length) return new Map();
    const rows = (await this.db('ticket_ratings')
      .whereIn('ticket_id', ticketIds)
      .select('ticket_id', 'score')) as { ticket_id: string; score: number }[];
    return new Map(rows.map((r) => [r.ticket_id, r.score]));
  }

  async rate(ticket: Ticket, by: string, score: number, comment: string | null, at: Date) {
    const row = {
      ticket_id: ticket.id,
      tenant_id: ticket.tenantId,
      branch_id: ticket.branchId,
      rated_by: by,
      assignee_id: ticket.assigneeId,
      score,
      comment,
      rated_at: at,
    };
    await this.db('ticket_ratings').insert(row).onConflict('ticket_id').merge();
  }

  /** Whether the person has finished or skipped the first-visit tour (migration 038). */
  async tourDone(userId: string): Promise<boolean> {
    return (await this.db('portal_tour').where({ user_id: userId }).first('user_id')) !== undefined;
  }

  async setTourDone(userId: string, tenantId: string | null, done: boolean): Promise<void> {
    if (!done) {
      await this.db('portal_tour').where({ user_id: userId }).delete();
      return;
    }
    await this.db('portal_tour')
      .insert({ user_id: userId, tenant_id: tenantId })
      .onConflict('user_id')
      .merge({ done_at: this.db.fn.now() });
  }
}
