import type { Knex } from 'knex';
import type { AuditEntryFields } from '../audit/audit-chain.js';
import { findingsOf } from './sign-in-findings.js';

/**
 * A sign-in or a refused sign-in of a tenant, as the SSO security report counts it (migration
 * 036): taken from its audit entry, in the entry's own transaction, so the report and the chain
 * never disagree. A failed check of one's current password (a password change) is no sign-in.
 */
export async function recordSignInEvent(
  trx: Knex.Transaction,
  entry: AuditEntryFields,
): Promise<void> {
  const ok = entry.action === 'auth.login';
  if (!ok && entry.action !== 'auth.login_failed') return;
  const d = entry.details;
  const reason = typeof d.reason === 'string' ? d.reason.replaceAll(' ', '_') : 'unknown';
  if (!ok && reason === 'wrong_current_password') return;
  const userId = entry.target?.startsWith('user:') ? entry.target.slice(5) : null;
  if (ok && userId) await trx('users').where({ id: userId }).update({ last_login_at: entry.at });
  if (!entry.tenantId) return;
  const provider = typeof d.provider === 'string' ? d.provider : null;
  const findings = findingsOf(d.findings);
  await trx('sign_in_events').insert({
    tenant_id: entry.tenantId,
    at: entry.at,
    user_id: userId,
    username: (typeof d.username === 'string' ? d.username : entry.actor)?.slice(0, 200) ?? null,
    // A provider removed meanwhile: the row keeps its kind, not the link.
    provider_id: provider
      ? trx.raw('(SELECT id FROM identity_providers WHERE id::text = ?)', [provider])
      : null,
    method: typeof d.kind === 'string' ? d.kind : 'password',
    ok,
    reason: ok ? null : reason,
    break_glass: d.breakGlass === true,
    ip: entry.ip,
    // SHA-1 or clock skew in the provider's answer (migration 041); null: nothing seen.
    findings: findings.length ? JSON.stringify(findings) : null,
  });
}
