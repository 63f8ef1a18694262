import type { Logger } from '../logger.js';
import type { AuditRepository } from '../repositories/audit.repository.js';
import { GENESIS, findBreak, type ChainBreak } from '../security/audit-chain.js';

/** Sensitive actions the audit log records (issue 6); other features may add their own. */
export type AuditAction =
  | 'auth.login'
  | 'auth.login_failed'
  | 'auth.locked'
  | 'auth.logout'
  | 'auth.session_revoked'
  | 'auth.2fa_enabled'
  | 'auth.2fa_disabled'
  | 'auth.recovery_code_used'
  | 'api_token.created'
  | 'api_token.revoked'
  | 'user.role_changed'
  | 'ticket.deleted'
  | 'policy.changed'
  | (string & {});

export interface AuditRecord {
  action: AuditAction;
  /** Who did it; null for the system or an unknown user (failed login). */
  actor?: { id: string; username: string } | null;
  /** What it was done to, e.g. `user:<id>`, `ticket:<id>`. */
  target?: string | null;
  tenantId?: string | null;
  ip?: string | null;
  details?: Record<string, unknown>;
}

export class AuditService {
  constructor(
    private readonly repo: AuditRepository,
    private readonly logger?: Logger,
  ) {}

  /**
   * Appends one entry to the hash chain. Callers await it: an action whose audit entry cannot
   * be written should fail rather than go unrecorded.
   */
  async record(r: AuditRecord): Promise<void> {
    await this.repo.append({
      at: new Date(),
      actorId: r.actor?.id ?? null,
      actor: r.actor?.username ?? null,
      action: r.action,
      target: r.target ?? null,
      tenantId: r.tenantId ?? null,
      ip: r.ip ?? null,
      details: r.details ?? {},
    });
    this.logger?.debug({ action: r.action, target: r.target }, 'audit entry recorded');
  }

  list(filter: { before?: number; action?: string; actorId?: string }, limit: number) {
    return this.repo.page(filter, limit);
  }

  /** Walks the whole chain in batches; the first broken entry, if any. */
  async verify(batchSize = 1000): Promise<{ entries: number; head: string; break?: ChainBreak }> {
    let prev = GENESIS;
    let afterSeq = 0;
    let entries = 0;
    for (;;) {
      const batch = await this.repo.batchAfter(afterSeq, batchSize);
      if (batch.length === 0) return { entries, head: prev };
      const result = findBreak(batch, prev);
      if (result.break) return { entries, head: prev, break: result.break };
      entries += batch.length;
      prev = result.lastHash;
      afterSeq = batch[batch.length - 1]!.seq;
    }
  }
}
