import { createHash } from 'node:crypto';

/**
 * The audit log's hash chain: each entry stores sha256(prev_hash + canonical JSON of the
 * entry), so changing, inserting or deleting a row breaks every hash after it. The first
 * entry's prev_hash is GENESIS. Canonical JSON sorts object keys at every level (the idea of
 * RFC 8785, enough for the strings, numbers and booleans an entry holds) so that PostgreSQL's
 * jsonb, which reorders keys, gives back the same text.
 */
export const GENESIS = '0'.repeat(64);

export interface AuditEntryFields {
  at: Date;
  actorId: string | null;
  actor: string | null;
  action: string;
  target: string | null;
  tenantId: string | null;
  ip: string | null;
  details: Record<string, unknown>;
}

export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value ?? null);
  if (value instanceof Date) return JSON.stringify(value.toISOString());
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
}

export function entryHash(prevHash: string, entry: AuditEntryFields): string {
  // Only the entry's own fields: a stored entry also carries seq, prev_hash and hash.
  const { actorId, actor, action, target, tenantId, ip, details } = entry;
  const fields = {
    at: entry.at.toISOString(),
    actorId,
    actor,
    action,
    target,
    tenantId,
    ip,
    details,
  };
  return createHash('sha256')
    .update(prevHash + canonicalJson(fields))
    .digest('hex');
}

export interface StoredAuditEntry extends AuditEntryFields {
  seq: number;
  prevHash: string;
  hash: string;
  /**
   * Set when the entry passed its tenant's retention: its content is gone, its hash and link
   * stay (docs/privacy.md), so the chain still shows that nothing else was changed or removed.
   */
  prunedAt?: Date | null;
}

export type ChainBreak = { seq: number; reason: 'content changed' | 'link broken' };

/**
 * Checks entries in seq order, continuing from `prevHash`; the first entry whose stored hash
 * does not match its content, or whose prev_hash is not the previous entry's hash.
 */
export function findBreak(
  entries: StoredAuditEntry[],
  prevHash: string,
): { break?: ChainBreak; lastHash: string } {
  let previous = prevHash;
  for (const e of entries) {
    if (e.prevHash !== previous)
      return { break: { seq: e.seq, reason: 'link broken' }, lastHash: previous };
    if (!e.prunedAt && entryHash(e.prevHash, e) !== e.hash)
      return { break: { seq: e.seq, reason: 'content changed' }, lastHash: previous };
    previous = e.hash;
  }
  return { lastHash: previous };
}
