import type { Database } from '../../db/database.js';
import { recordSignInEvent } from '../sso/sign-in-events.js';
import { GENESIS, entryHash, type AuditEntryFields, type StoredAuditEntry } from './audit-chain.js';

// One advisory lock key for the chain's head: hub processes append one at a time.
const CHAIN_LOCK = 0x6277_4155; // "bwAU"

interface AuditRow {
  seq: number;
  at: Date;
  actor_id: string | null;
  actor: string | null;
  action: string;
  target: string | null;
  tenant_id: string | null;
  ip: string | null;
  details: Record<string, unknown>;
  prev_hash: string;
  hash: string;
  pruned_at?: Date | null;
}

export class AuditRepository {
  constructor(private readonly db: Database) {}

  /** Appends under a transaction-scoped lock, so two processes never fork the chain. */
  append(entry: AuditEntryFields): Promise<StoredAuditEntry> {
    return this.db.transaction(async (trx) => {
      await trx.raw('SELECT pg_advisory_xact_lock(?)', [CHAIN_LOCK]);
      const last = await trx<AuditRow>('audit_log').select('hash').orderBy('seq', 'desc').first();
      const prevHash = last?.hash ?? GENESIS;
      const hash = entryHash(prevHash, entry);
      const [row] = await trx<AuditRow>('audit_log')
        .insert({
          at: entry.at,
          actor_id: entry.actorId,
          actor: entry.actor,
          action: entry.action,
          target: entry.target,
          tenant_id: entry.tenantId,
          ip: entry.ip,
          details: entry.details,
          prev_hash: prevHash,
          hash,
        })
        .returning('*');
      await recordSignInEvent(trx, entry);
      return toEntry(row!);
    });
  }

  /** Entries after `afterSeq`, oldest first: for verifying the chain in batches. */
  async batchAfter(afterSeq: number, limit: number): Promise<StoredAuditEntry[]> {
    const rows = await this.db<AuditRow>('audit_log')
      .where('seq', '>', afterSeq)
      .orderBy('seq')
      .limit(limit);
    return rows.map(toEntry);
  }

  /** Newest first, `before` a seq for the next page. */
  async page(
    filter: { before?: number; action?: string; actorId?: string },
    limit: number,
  ): Promise<StoredAuditEntry[]> {
    const q = this.db<AuditRow>('audit_log').orderBy('seq', 'desc').limit(limit);
    if (filter.before !== undefined) q.where('seq', '<', filter.before);
    if (filter.action) q.where('action', filter.action);
    if (filter.actorId) q.where('actor_id', filter.actorId);
    return (await q).map(toEntry);
  }
}

const toEntry = (r: AuditRow): StoredAuditEntry => ({
  seq: r.seq,
  at: r.at,
  actorId: r.actor_id,
  actor: r.actor,
  action: r.action,
  target: r.target,
  tenantId: r.tenant_id,
  ip: r.ip,
  details: r.details,
  prevHash: r.prev_hash,
  hash: r.hash,
  prunedAt: r.pruned_at ?? null,
});
