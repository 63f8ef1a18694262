import type { Logger } from '../../core/logger.js';
import type { AuditRepository } from './audit.repository.js';
import { GENESIS, canonicalJson, findBreak, type ChainBreak } from './audit-chain.js';
import { requestActor } from '../request-actor.js';

/** Sensitive actions the audit log records; other features may add their own. */
export type AuditAction =
  | 'auth.login'
  | 'auth.login_failed'
  | 'auth.locked'
  | 'auth.logout'
  | 'auth.password_changed'
  | 'auth.session_revoked'
  | 'auth.password_policy_changed'
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
  /**
   * Who did it; null for the system or an unknown user (failed login); left out, the user of
   * the current API request (identity/request-actor.ts), else the system.
   */
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
    // No actor given (undefined, not null): the user of the current API request, if any.
    const request = r.actor === undefined ? requestActor.current() : undefined;
    const actor = r.actor ?? request ?? null;
    await this.repo.append({
      at: new Date(),
      actorId: actor?.id ?? null,
      actor: actor?.username ?? null,
      action: r.action,
      target: r.target ?? null,
      tenantId: r.tenantId ?? null,
      ip: r.ip ?? request?.ip ?? null,
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

/**
 * The fields that differ between two versions of an object, as `{ field: { from, to } }`, for
 * the details of a change entry; values compare by their canonical JSON, so arrays and nested
 * objects (escalation levels, calendar hours) count as changed only when their content is.
 */
export function fieldChanges(
  before: object,
  after: object,
): Record<string, { from: unknown; to: unknown }> {
  const out: Record<string, { from: unknown; to: unknown }> = {};
  const b = before as Record<string, unknown>;
  const a = after as Record<string, unknown>;
  for (const key of Object.keys(a)) {
    if (a[key] === undefined) continue;
    if (canonicalJson(a[key]) === canonicalJson(b[key])) continue;
    out[key] = { from: b[key] ?? null, to: a[key] };
  }
  return out;
}
