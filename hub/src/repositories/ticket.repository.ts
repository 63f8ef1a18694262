import type { Knex } from 'knex';
import type { Database } from '../db/database.js';
import {
  ACTIVE_TICKET_STATES,
  Ticket,
  TicketEvent,
  type TicketEventKind,
  type TicketEventVisibility,
  type TicketPriority,
  type TicketState,
} from '../models/ticket.model.js';

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
}

/** Columns a person may change on a ticket. */
export type TicketPatch = Partial<
  Pick<Ticket, 'state' | 'priority' | 'category' | 'subject' | 'assigneeId' | 'groupId'> & {
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

  /** Opens a ticket a person wrote, with its first event carrying the body. */
  async openForPerson(values: {
    tenantId: string;
    branchId: string | null;
    subject: string;
    body: string;
    priority: TicketPriority;
    category: string | null;
    createdBy: string;
    at: Date;
  }): Promise<Ticket> {
    return this.db.transaction(async (trx) => {
      const ticket = await Ticket.query(trx).insertAndFetch({
        tenantId: values.tenantId,
        branchId: values.branchId,
        subject: values.subject,
        priority: values.priority,
        category: values.category,
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
   * each field with its old and new value (docs/tickets.md "History").
   */
  async change(ticketId: string, patch: TicketPatch, events: NewTicketEvent[], at: Date) {
    await this.db.transaction(async (trx) => {
      await Ticket.query(trx)
        .findById(ticketId)
        .patch({ ...patch, updatedAt: at });
      await insertEvents(trx, ticketId, events);
    });
  }

  /** Records events without changing the ticket's columns. */
  async record(ticketId: string, events: NewTicketEvent[], at: Date): Promise<TicketEvent[]> {
    return this.db.transaction(async (trx) => {
      const rows = await insertEvents(trx, ticketId, events);
      await Ticket.query(trx).findById(ticketId).patch({ updatedAt: at });
      return rows;
    });
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
  // ── Alert tickets (docs/alerts.md), appended by the alerts feature ──────────────────────

  /**
   * Opens an alert ticket (a failing check, or an agent offline) with its priority and first
   * event, unless an active ticket has the fingerprint (the partial unique index decides).
   */
  async openAlertTicket(values: {
    tenantId: string;
    branchId: string;
    agentId: string;
    checkId: string | null;
    fingerprint: string;
    alertKind: 'check' | 'agent';
    subject: string;
    body: string;
    priority: TicketPriority;
    priorityReason: string;
    at: Date;
  }): Promise<Ticket | undefined> {
    return this.db.transaction(async (trx) => {
      const rows = await trx('tickets')
        .insert({
          tenant_id: values.tenantId,
          branch_id: values.branchId,
          agent_id: values.agentId,
          check_id: values.checkId,
          fingerprint: values.fingerprint,
          alert_kind: values.alertKind,
          subject: values.subject,
          priority: values.priority,
          priority_reason: values.priorityReason,
          opened_at: values.at,
          updated_at: values.at,
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
      await trx('ticket_events').insert({
        ticket_id: id,
        kind: 'opened',
        body: `${values.body}\nPriority: ${values.priorityReason}.`,
        at: values.at,
      });
      return Ticket.query(trx).findById(id);
    });
  }

  /** The latest ticket of a fingerprint resolved (not closed) at or after `since`. */
  findResolvedSince(fingerprint: string, since: Date) {
    return Ticket.query(this.db)
      .findOne({ fingerprint, state: 'resolved' })
      .where('resolved_at', '>=', since)
      .orderBy('resolved_at', 'desc');
  }

  /**
   * Reopens a resolved alert ticket on a repeat of its alert: open again, one more repeat,
   * and a state change in its history saying why. False when it was no longer resolved, or
   * when another active ticket took the fingerprint meanwhile.
   */
  async reopenAlert(ticketId: string, at: Date, body: string): Promise<boolean> {
    try {
      return await this.db.transaction(async (trx) => {
        const n = await trx('tickets')
          .where({ id: ticketId, state: 'resolved' })
          .update({
            state: 'open',
            resolved_at: null,
            updated_at: at,
            repeat_count: trx.raw('repeat_count + 1'),
          });
        if (n === 0) return false;
        await trx('ticket_events').insert({
          ticket_id: ticketId,
          kind: 'change',
          field: 'state',
          old_value: 'resolved',
          new_value: 'open',
          body,
          at,
        });
        return true;
      });
    } catch (err) {
      if ((err as { code?: string }).code === '23505') return false;
      throw err;
    }
  }

  /** What auto-priority needs to know of an alert ticket. */
  async alertFacts(ticketId: string) {
    const row = await this.db('tickets')
      .where({ id: ticketId })
      .first('repeat_count', 'priority', 'priority_reason', 'priority_overridden', 'alert_kind');
    if (!row) return undefined;
    const personSetPriority = await this.db('ticket_events')
      .where({ ticket_id: ticketId, field: 'priority' })
      .whereNotNull('author_id')
      .first('id');
    return {
      repeatCount: Number(row.repeat_count),
      priority: row.priority as TicketPriority,
      priorityReason: row.priority_reason as string | null,
      /** A person set the priority (through this repository or the helpdesk's history). */
      overridden: Boolean(row.priority_overridden) || personSetPriority !== undefined,
      alertKind: row.alert_kind as 'check' | 'agent' | null,
    };
  }

  /** The hub's priority and its reason; callers check `alertFacts().overridden` first. */
  async setAutoPriority(
    ticketId: string,
    priority: TicketPriority,
    reason: string,
    at: Date,
  ): Promise<void> {
    await this.db.transaction(async (trx) => {
      const before = await trx('tickets').where({ id: ticketId }).first('priority');
      await trx('tickets')
        .where({ id: ticketId })
        .update({ priority, priority_reason: reason, updated_at: at });
      if (before?.priority === priority) return;
      await trx('ticket_events').insert({
        ticket_id: ticketId,
        kind: 'change',
        field: 'priority',
        old_value: before?.priority ?? null,
        new_value: priority,
        body: `Hub set the ${reason}.`,
        at,
      });
    });
  }

  /** A person's priority: it sticks, the hub no longer changes it. */
  async overridePriority(
    ticketId: string,
    priority: TicketPriority,
    authorId: string,
    at: Date,
  ): Promise<void> {
    await this.db.transaction(async (trx) => {
      const before = await trx('tickets').where({ id: ticketId }).first('priority');
      await trx('tickets')
        .where({ id: ticketId })
        .update({ priority, priority_overridden: true, updated_at: at });
      await trx('ticket_events').insert({
        ticket_id: ticketId,
        kind: 'change',
        field: 'priority',
        old_value: before?.priority ?? null,
        new_value: priority,
        author_id: authorId,
        at,
      });
    });
  }

  /**
   * True when a person worked on a ticket of this fingerprint that ended (resolved or closed)
   * at or after `since`: that person decided about this outage, and the hub leaves it be.
   */
  async closedByPersonSince(fingerprint: string, since: Date): Promise<boolean> {
    const row = await this.db('tickets as t')
      .where('t.fingerprint', fingerprint)
      .whereIn('t.state', ['resolved', 'closed'])
      .where('t.updated_at', '>=', since)
      .whereExists((q) =>
        q.from('ticket_events as e').whereRaw('e.ticket_id = t.id').whereNotNull('e.author_id'),
      )
      .first('t.id');
    return row !== undefined;
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
