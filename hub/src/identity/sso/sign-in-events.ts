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
    // SHA-1 or clock skew in the provider's answer (migration 042); null: nothing seen.
    findings: findings.length ? JSON.stringify(findings) : null,
  });
}

/**
 * Every tenant's findings since `since`, one row per provider and finding (for the alerts,
 * alerts/sso-finding-alerts.ts; read with the hub's own connection, across tenants). A SHA-1
 * finding is `current` when it was seen under the provider's setting of now.
 */
export async function recentSignInFindings(
  db: Knex,
  since: Date,
): Promise<
  {
    providerId: string;
    tenantId: string;
    name: string;
    finding: 'sha1' | 'clock_skew';
    lastAt: Date;
    accepted: boolean;
    seconds: number | null;
    current: boolean;
  }[]
> {
  const rows = (
    await db.raw(
      `SELECT e.provider_id, p.tenant_id, p.name, f->>'kind' AS finding, max(e.at) AS last_at,
         bool_or(coalesce((f->>'accepted')::boolean, false)) AS accepted,
         (array_agg((f->>'seconds')::int ORDER BY abs((f->>'seconds')::int) DESC NULLS LAST))[1]
           AS seconds,
         f->>'kind' <> 'sha1'
           OR coalesce((f->>'accepted')::boolean, false)
              = coalesce((p.settings->>'acceptSha1')::boolean, false) AS current
       FROM sign_in_events e
       JOIN identity_providers p ON p.id = e.provider_id
       CROSS JOIN LATERAL jsonb_array_elements(e.findings) f
       WHERE e.findings IS NOT NULL AND e.at >= ?
       GROUP BY e.provider_id, p.tenant_id, p.name, f->>'kind', current`,
      [since],
    )
  ).rows as {
    provider_id: string;
    tenant_id: string;
    name: string;
    finding: 'sha1' | 'clock_skew';
    last_at: Date;
    accepted: boolean;
    seconds: number | null;
    current: boolean;
  }[];
  return rows.map((r) => ({
    providerId: r.provider_id,
    tenantId: r.tenant_id,
    name: r.name,
    finding: r.finding,
    lastAt: r.last_at,
    accepted: r.accepted,
    seconds: r.seconds,
    current: r.current,
  }));
}

/** A provider's name, read across tenants (undefined: removed, or not a provider's id). */
export async function providerName(db: Knex, providerId: string): Promise<string | undefined> {
  const row = (await db('identity_providers')
    .whereRaw('id::text = ?', [providerId])
    .first('name')) as { name: string } | undefined;
  return row?.name;
}
