import type { Knex } from 'knex';
import type { Database } from '../db/database.js';

/** How long a tenant keeps each kind of data (migration 030); null: the default. */
export interface RetentionPolicy {
  tenantId: string;
  /** Raw rounds of the tenant's checks; null: the hub's BW_RETENTION_DAYS. */
  roundsDays: number | null;
  /** Attachments of tickets resolved or closed this many days ago; null: kept. */
  attachmentsDays: number | null;
  /** Tickets closed this many days ago, with their conversation; null: kept. */
  closedTicketsDays: number | null;
  /** The content of audit entries about the tenant; null: kept. */
  auditDays: number | null;
}

/** What a retention run removes (or, dry, would remove) for one tenant. */
export interface RetentionCounts {
  rounds: number;
  attachments: number;
  attachmentBytes: number;
  closedTickets: number;
  auditEntries: number;
}

/** The moments before which each kind is past its retention; absent: the kind is kept. */
export interface RetentionCutoffs {
  rounds?: Date;
  attachments?: Date;
  closedTickets?: Date;
  audit?: Date;
}

const FINISHED = ['resolved', 'closed'];

/**
 * Retention policies, and the rows past them. Counting runs in the caller's scope (an API
 * request's row-level security); removal runs on the hub's own connection (the sweep), since
 * the API's role may not change the audit log. Every query names the tenant itself.
 */
export class RetentionRepository {
  constructor(private readonly db: Database) {}

  async find(tenantId: string): Promise<RetentionPolicy> {
    const row = await this.db('retention_policies').where({ tenant_id: tenantId }).first();
    return {
      tenantId,
      roundsDays: row?.rounds_days ?? null,
      attachmentsDays: row?.attachments_days ?? null,
      closedTicketsDays: row?.closed_tickets_days ?? null,
      auditDays: row?.audit_days ?? null,
    };
  }

  async save(p: RetentionPolicy): Promise<void> {
    await this.db('retention_policies')
      .insert({
        tenant_id: p.tenantId,
        rounds_days: p.roundsDays,
        attachments_days: p.attachmentsDays,
        closed_tickets_days: p.closedTicketsDays,
        audit_days: p.auditDays,
        updated_at: new Date(),
      })
      .onConflict('tenant_id')
      .merge();
  }

  /** Tenants with a policy of their own: the sweep's work list. */
  async tenantsWithPolicy(): Promise<string[]> {
    const rows = await this.db('retention_policies').select('tenant_id');
    return rows.map((r: { tenant_id: string }) => r.tenant_id);
  }

  async count(tenantId: string, cut: RetentionCutoffs, db: Database | Knex.Transaction = this.db) {
    const counts: RetentionCounts = {
      rounds: 0,
      attachments: 0,
      attachmentBytes: 0,
      closedTickets: 0,
      auditEntries: 0,
    };
    if (cut.rounds) counts.rounds = await countOf(this.rounds(db, tenantId, cut.rounds));
    if (cut.attachments) {
      const row = await this.attachments(db, tenantId, cut.attachments)
        .count('* as n')
        .sum('a.size as bytes')
        .first();
      counts.attachments = Number(row?.n ?? 0);
      counts.attachmentBytes = Number(row?.bytes ?? 0);
    }
    if (cut.closedTickets)
      counts.closedTickets = await countOf(this.closedTickets(db, tenantId, cut.closedTickets));
    if (cut.audit) counts.auditEntries = await countOf(this.audit(db, tenantId, cut.audit));
    return counts;
  }

  /**
   * Removes what is past the cutoffs, in one transaction: rounds, attachments (their content
   * goes with them), closed tickets (their events, tags, attachments and ratings go with them),
   * and the content of audit entries (their hash and link stay).
   */
  async remove(trx: Knex.Transaction, tenantId: string, cut: RetentionCutoffs, now: Date) {
    const counts = await this.count(tenantId, cut, trx);
    if (cut.rounds) await this.rounds(trx, tenantId, cut.rounds).delete();
    if (cut.attachments)
      await trx('ticket_attachments')
        .whereIn('id', this.attachments(trx, tenantId, cut.attachments).select('a.id'))
        .delete();
    if (cut.closedTickets) await this.closedTickets(trx, tenantId, cut.closedTickets).delete();
    if (cut.audit)
      await this.audit(trx, tenantId, cut.audit).update({
        actor_id: null,
        actor: null,
        target: null,
        ip: null,
        details: {},
        pruned_at: now,
      });
    return counts;
  }

  private rounds(db: Database | Knex.Transaction, tenantId: string, before: Date) {
    return db('check_results')
      .whereIn('check_id', db('checks').where({ tenant_id: tenantId }).select('id'))
      .where('at', '<', before);
  }

  private attachments(db: Database | Knex.Transaction, tenantId: string, before: Date) {
    return db('ticket_attachments as a')
      .join('tickets as t', 't.id', 'a.ticket_id')
      .where('t.tenant_id', tenantId)
      .whereIn('t.state', FINISHED)
      .whereRaw('coalesce(t.resolved_at, t.updated_at) < ?', [before]);
  }

  private closedTickets(db: Database | Knex.Transaction, tenantId: string, before: Date) {
    // A closed ticket changes no more: its last change is when it was closed.
    return db('tickets')
      .where({ tenant_id: tenantId, state: 'closed' })
      .where('updated_at', '<', before);
  }

  private audit(db: Database | Knex.Transaction, tenantId: string, before: Date) {
    return db('audit_log')
      .where({ tenant_id: tenantId })
      .whereNull('pruned_at')
      .where('at', '<', before);
  }
}

async function countOf(q: Knex.QueryBuilder): Promise<number> {
  const row = (await q.count('* as n').first()) as { n?: string | number } | undefined;
  return Number(row?.n ?? 0);
}
