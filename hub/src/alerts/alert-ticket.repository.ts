import type { Database } from '../db/database.js';
import { Ticket, TicketEvent, type TicketEventKind } from '../helpdesk/ticket.model.js';
import {
  ACTIVE_TICKET_STATES,
  type Language,
  type TicketPriority,
  type TicketState,
} from '@branchwatch/api';
import type { Written } from './ticket-text.js';

/** The tenant a fresh hub makes (identity/bootstrap.service.ts); its admins run the hub. */
const DEFAULT_TENANT_SLUG = 'default';

/**
 * Tickets as the alerts feature sees them (docs/alerts.md): found by fingerprint, opened and
 * reopened by the hub, given notes and auto-priority, resolved on recovery unless a person
 * worked on them. What people do with tickets is in ticket.repository.ts.
 */
export class AlertTicketRepository {
  constructor(private readonly db: Database) {}

  findById(id: string) {
    return Ticket.query(this.db).findById(id);
  }

  findActiveByFingerprint(fingerprint: string) {
    return Ticket.query(this.db)
      .findOne({ fingerprint })
      .whereIn('state', ACTIVE_TICKET_STATES as TicketState[]);
  }

  /** The language the hub writes the tenant's ticket text in (migration 018). */
  async tenantLanguage(tenantId: string): Promise<Language> {
    const row = await this.db('tenants').where({ id: tenantId }).first('language');
    return (row?.language as Language | undefined) ?? 'en';
  }

  async addEvent(ticketId: string, kind: TicketEventKind, text: Written, at: Date): Promise<void> {
    await TicketEvent.query(this.db).insert({ ticketId, kind, ...text, at });
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

  async resolve(ticketId: string, at: Date, text: Written): Promise<void> {
    await this.db.transaction(async (trx) => {
      await Ticket.query(trx)
        .findById(ticketId)
        .patch({ state: 'resolved', resolvedAt: at, updatedAt: at });
      await TicketEvent.query(trx).insert({ ticketId, kind: 'resolved', ...text, at });
    });
  }

  /**
   * Opens an alert ticket (a failing check, an agent offline, or a hub job that keeps failing:
   * no branch then) with its priority and first event, unless an active ticket has the
   * fingerprint (the partial unique index decides).
   */
  async openAlertTicket(values: {
    tenantId: string;
    branchId: string | null;
    agentId: string | null;
    checkId: string | null;
    fingerprint: string;
    /** check, agent, job (the hub's own), security (a break-glass sign-in). */
    alertKind: 'check' | 'agent' | 'job' | 'security';
    subject: string;
    /** The opening text, its priority included. */
    text: Written;
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
        body: values.text.body,
        data: JSON.stringify(values.text.data),
        at: values.at,
      });
      return Ticket.query(trx).findById(id);
    });
  }

  /** The tenant a fresh hub makes, and the language the hub writes its tickets in. */
  async defaultTenant(): Promise<{ id: string; language: Language } | undefined> {
    const row = await this.db('tenants')
      .where({ slug: DEFAULT_TENANT_SLUG })
      .first('id', 'language');
    return row ? { id: row.id as string, language: (row.language ?? 'en') as Language } : undefined;
  }

  /** Active tickets whose fingerprint starts with `prefix` (the hub jobs' tickets). */
  findActiveByFingerprintPrefix(prefix: string) {
    return Ticket.query(this.db)
      .where('fingerprint', 'like', `${prefix.replace(/[\\%_]/g, '\\$&')}%`)
      .whereIn('state', ACTIVE_TICKET_STATES as TicketState[]);
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
  async reopenAlert(ticketId: string, at: Date, text: Written): Promise<boolean> {
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
          body: text.body,
          data: JSON.stringify(text.data),
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
      alertKind: row.alert_kind as 'check' | 'agent' | 'job' | 'security' | null,
    };
  }

  /** The hub's priority and its reason; callers check `alertFacts().overridden` first. */
  async setAutoPriority(
    ticketId: string,
    priority: TicketPriority,
    reason: string,
    text: Written,
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
        body: text.body,
        data: JSON.stringify(text.data),
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
