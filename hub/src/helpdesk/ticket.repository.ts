import type { Knex } from 'knex';
import type { Database } from '../db/database.js';
import {
  Ticket,
  TicketEvent,
  type TicketEventKind,
  type TicketEventVisibility,
} from './ticket.model.js';
import { ACTIVE_TICKET_STATES, type TicketPriority, type TicketState } from '@branchwatch/api';

export interface TicketFilter {
  tenantId: string | null;
  /** `active` means any state but resolved and closed. */
  state?: TicketState | 'active' | TicketState[];
  priority?: TicketPriority[];
  assigneeId?: string;
  groupId?: string;
  branchId?: string;
  tag?: string;
  source?: Ticket['source'];
  openedFrom?: Date;
  openedTo?: Date;
  /** Words searched in the subject and conversation (PostgreSQL full text). */
  text?: string;
  sort?: TicketSort;
  order?: 'asc' | 'desc';
  limit: number;
  offset: number;
}

export const TICKET_SORTS = ['opened_at', 'updated_at', 'priority', 'number'] as const;
export type TicketSort = (typeof TICKET_SORTS)[number];

/** The alert of an alert ticket now: a failing check, or an offline agent. */
export interface LiveAlert {
  kind: 'check' | 'agent';
  /** The check's key or the agent's name. */
  name: string;
  failing: boolean;
  since: Date | null;
}

/** A new row of a ticket's history; `at` defaults to now. */
export interface NewTicketEvent {
  kind: TicketEventKind;
  at?: Date;
  body?: string | null;
  authorId?: string | null;
  visibility?: TicketEventVisibility;
  field?: string;
  oldValue?: string | null;
  newValue?: string | null;
  data?: Record<string, unknown>;
  slaKey?: string;
  /** The author's `Idempotency-Key`: one event per ticket, author and key (034-reply-keys). */
  clientKey?: string;
}

/** Columns a person may change on a ticket. */
export type TicketPatch = Partial<
  Pick<
    Ticket,
    | 'state'
    | 'priority'
    | 'category'
    | 'subject'
    | 'assigneeId'
    | 'groupId'
    | 'requesterName'
    | 'requesterContact'
  > & {
    resolvedAt: Date | null;
    mergedIntoId: string;
  }
>;

// 'simple' matches words as written (Persian), 'english' adds stems; a ticket matches either.
const TEXT_QUERY = `search @@ (plainto_tsquery('simple', ?) || plainto_tsquery('english', ?))`;

export class TicketRepository {
  constructor(private readonly db: Database) {}

  list(filter: TicketFilter) {
    const order = filter.order ?? 'desc';
    return Ticket.query(this.db)
      .modify((q) => {
        if (filter.tenantId) q.where('tenant_id', filter.tenantId);
        if (filter.state === 'active') q.whereIn('state', ACTIVE_TICKET_STATES);
        else if (Array.isArray(filter.state)) q.whereIn('state', filter.state);
        else if (filter.state) q.where('state', filter.state);
        if (filter.priority) q.whereIn('priority', filter.priority);
        if (filter.assigneeId) q.where('assignee_id', filter.assigneeId);
        if (filter.groupId) q.where('group_id', filter.groupId);
        if (filter.branchId) q.where('branch_id', filter.branchId);
        if (filter.source) q.where('source', filter.source);
        if (filter.openedFrom) q.where('opened_at', '>=', filter.openedFrom);
        if (filter.openedTo) q.where('opened_at', '<', filter.openedTo);
        if (filter.text) q.whereRaw(TEXT_QUERY, [filter.text, filter.text]);
        if (filter.tag) {
          q.whereExists((sub) =>
            sub
              .from('ticket_tags')
              .whereRaw('ticket_tags.ticket_id = tickets.id')
              .where('tag', filter.tag!),
          );
        }
        if (filter.sort === 'priority') {
          q.orderByRaw(`array_position(ARRAY['low','normal','high','urgent'], priority) ${order}`);
        } else q.orderBy(filter.sort ?? 'opened_at', order);
      })
      .orderBy('number', order)
      .limit(filter.limit)
      .offset(filter.offset);
  }

  findById(id: string) {
    return Ticket.query(this.db).findById(id);
  }

  /** Ticket numbers are unique across tenants. */
  findByNumber(number: number) {
    if (!Number.isSafeInteger(number)) return Promise.resolve(undefined);
    return Ticket.query(this.db).findOne({ number });
  }

  /** Deletes a ticket; its events, tags, watchers, links and attachment rows cascade. */
  async remove(id: string): Promise<boolean> {
    return (await this.db('tickets').where({ id }).delete()) > 0;
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

  /** Opens a ticket a person wrote, with its first event carrying the body. */
  async openForPerson(values: {
    tenantId: string;
    branchId: string | null;
    subject: string;
    body: string;
    priority: TicketPriority;
    category: string | null;
    requesterName?: string | null;
    requesterContact?: string | null;
    /** Null: opened by an automation rule (docs/automation.md). */
    createdBy: string | null;
    at: Date;
  }): Promise<Ticket> {
    return this.db.transaction(async (trx) => {
      const ticket = await Ticket.query(trx).insertAndFetch({
        tenantId: values.tenantId,
        branchId: values.branchId,
        subject: values.subject,
        priority: values.priority,
        category: values.category,
        requesterName: values.requesterName ?? null,
        requesterContact: values.requesterContact ?? null,
        createdBy: values.createdBy,
        state: 'open',
        source: 'person',
        openedAt: values.at,
        updatedAt: values.at,
      });
      await insertEvents(trx, ticket.id, [
        { kind: 'opened', body: values.body, authorId: values.createdBy, at: values.at },
      ]);
      return ticket;
    });
  }

  /**
   * Changes a ticket's columns and records its history in one transaction: the events name
   * each field with its old and new value (docs/tickets.md "History"). With `version`, only
   * while the ticket is still at that version (`If-Match`): false, and nothing written, when
   * someone changed it since. The row lock of the UPDATE makes the comparison and the write one.
   */
  async change(
    ticketId: string,
    patch: TicketPatch,
    events: NewTicketEvent[],
    at: Date,
    version?: number,
  ): Promise<boolean> {
    return this.db.transaction(async (trx) => {
      const updated = await Ticket.query(trx)
        .findById(ticketId)
        .modify((q) => {
          if (version !== undefined) q.where('version', version);
        })
        .patch({ ...patch, updatedAt: at });
      if (updated === 0) return false;
      await insertEvents(trx, ticketId, events);
      return true;
    });
  }

  /** The histories of several tickets at once (the queue's SLA column), oldest first. */
  async eventsOf(ticketIds: string[]): Promise<Map<string, TicketEvent[]>> {
    const byTicket = new Map<string, TicketEvent[]>(ticketIds.map((id) => [id, []]));
    if (ticketIds.length === 0) return byTicket;
    const events = await TicketEvent.query(this.db)
      .whereIn('ticket_id', ticketIds)
      .orderBy(['at', 'id']);
    for (const e of events) byTicket.get(e.ticketId)?.push(e);
    return byTicket;
  }

  /** Records events without changing the ticket's columns. */
  async record(ticketId: string, events: NewTicketEvent[], at: Date): Promise<TicketEvent[]> {
    return this.db.transaction(async (trx) => {
      const rows = await insertEvents(trx, ticketId, events);
      await Ticket.query(trx).findById(ticketId).patch({ updatedAt: at });
      return rows;
    });
  }

  /** The event an author already recorded on a ticket with this client key, if any. */
  async eventByClientKey(ticketId: string, authorId: string, clientKey: string) {
    return TicketEvent.query(this.db)
      .where({ ticket_id: ticketId, author_id: authorId, client_key: clientKey })
      .first();
  }

  /**
   * Records an SLA warning or escalation unless one with the same key exists (a unique index
   * decides, so two hubs cannot both record it). True when this call recorded it.
   */
  async recordOnce(ticketId: string, event: NewTicketEvent & { slaKey: string }) {
    const rows = await this.db('ticket_events')
      .insert(eventRow(ticketId, event))
      .onConflict(this.db.raw('(ticket_id, sla_key) WHERE sla_key IS NOT NULL'))
      .ignore()
      .returning('id');
    return rows.length === 1;
  }

  /**
   * The alert behind an alert ticket as it is now: its check failing, or its agent offline
   * (an "agent offline" ticket). Undefined for a ticket without an alert.
   */
  async liveAlert(ticketId: string): Promise<LiveAlert | undefined> {
    const row = await this.db('tickets as t')
      .leftJoin('checks as c', 'c.id', 't.check_id')
      .leftJoin('agents as a', 'a.id', 't.agent_id')
      .where('t.id', ticketId)
      .first(
        't.alert_kind',
        'c.key as check_key',
        'c.state as check_state',
        'c.state_since',
        'a.name as agent_name',
        'a.online',
        'a.last_seen_at',
      );
    if (!row?.alert_kind) return undefined;
    if (row.alert_kind === 'agent') {
      return {
        kind: 'agent',
        name: row.agent_name as string,
        failing: row.online === false,
        since: (row.last_seen_at as Date | null) ?? null,
      };
    }
    if (row.check_key === null) return undefined;
    return {
      kind: 'check',
      name: row.check_key as string,
      failing: row.check_state === 'failing',
      since: (row.state_since as Date | null) ?? null,
    };
  }

  /** Active tickets of every tenant, for the SLA sweep. */
  activeTickets(afterNumber: number, limit: number) {
    return Ticket.query(this.db)
      .whereIn('state', ACTIVE_TICKET_STATES as TicketState[])
      .where('number', '>', afterNumber)
      .orderBy('number')
      .limit(limit);
  }

  /** Active tickets per assignee among these people: the load least-loaded assignment uses. */
  async activeLoad(userIds: string[]): Promise<Map<string, number>> {
    if (userIds.length === 0) return new Map();
    const rows = (await this.db('tickets')
      .whereIn('assignee_id', userIds)
      .whereIn('state', ACTIVE_TICKET_STATES as TicketState[])
      .groupBy('assignee_id')
      .select('assignee_id')
      .count('* as n')) as { assignee_id: string; n: string | number }[];
    return new Map(rows.map((r) => [r.assignee_id, Number(r.n)]));
  }
}

function eventRow(ticketId: string, e: NewTicketEvent) {
  return {
    ticket_id: ticketId,
    kind: e.kind,
    at: e.at ?? new Date(),
    body: e.body ?? null,
    author_id: e.authorId ?? null,
    visibility: e.visibility ?? 'public',
    field: e.field ?? null,
    old_value: e.oldValue ?? null,
    new_value: e.newValue ?? null,
    data: e.data === undefined ? null : JSON.stringify(e.data),
    sla_key: e.slaKey ?? null,
    client_key: e.clientKey ?? null,
  };
}

async function insertEvents(
  trx: Knex.Transaction,
  ticketId: string,
  events: NewTicketEvent[],
): Promise<TicketEvent[]> {
  if (events.length === 0) return [];
  const rows = await trx('ticket_events')
    .insert(events.map((e) => eventRow(ticketId, e)))
    .returning('id');
  return TicketEvent.query(trx)
    .whereIn(
      'id',
      rows.map((r: { id: number }) => r.id),
    )
    .orderBy('id');
}
