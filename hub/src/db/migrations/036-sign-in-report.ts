import type { Knex } from 'knex';

/**
 * The SSO security report (docs/sso.md "Security report"): one row per sign-in and per refused
 * sign-in of a tenant, written with its audit entry (identity/audit/audit.repository.ts), so a
 * tenant's admins read their own under row-level security — the audit log itself is one chain
 * across tenants that only global admins read (015). `users.last_login_at` answers "never signed
 * in"; `login_tickets.signed_in_via` keeps the provider across the hub's TOTP step, so a sign-in
 * through a provider is counted as that provider's, not as a password's.
 *
 * Both are filled from the audit log's entries so far (an entry whose content was pruned by
 * retention has no details: it counts as a password sign-in).
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('sign_in_events', (t) => {
    t.bigIncrements('id');
    t.uuid('tenant_id').notNullable().references('tenants.id').onDelete('CASCADE');
    t.timestamp('at', { useTz: true }).notNullable();
    t.uuid('user_id').references('users.id').onDelete('SET NULL');
    /** As typed (failures of unknown people too), at most 200 characters. */
    t.text('username');
    t.uuid('provider_id').references('identity_providers.id').onDelete('SET NULL');
    /** oidc, saml, ldap, or password (the hub's own). */
    t.text('method').notNullable();
    t.boolean('ok').notNullable();
    /** Why a sign-in was refused (a code the pages say in words); null for a sign-in. */
    t.text('reason');
    t.boolean('break_glass').notNullable().defaultTo(false);
    t.text('ip');
    t.index(['tenant_id', 'at']);
  });
  await knex.raw('ALTER TABLE sign_in_events ENABLE ROW LEVEL SECURITY');
  const visible = 'bw_tenant_visible(tenant_id)';
  await knex.raw(
    `CREATE POLICY tenant_isolation ON sign_in_events USING (${visible}) WITH CHECK (${visible})`,
  );
  await knex.schema.alterTable('users', (t) => t.timestamp('last_login_at', { useTz: true }));
  await knex.schema.alterTable('login_tickets', (t) => t.jsonb('signed_in_via'));

  await knex.raw(`
    UPDATE users u SET last_login_at = l.at
    FROM (SELECT target, max(at) AS at FROM audit_log WHERE action = 'auth.login' GROUP BY target) l
    WHERE l.target = 'user:' || u.id`);
  await knex.raw(`
    INSERT INTO sign_in_events
      (tenant_id, at, user_id, username, provider_id, method, ok, reason, break_glass, ip)
    SELECT a.tenant_id, a.at,
      (SELECT u.id FROM users u WHERE 'user:' || u.id = a.target),
      left(coalesce(a.details->>'username', a.actor), 200),
      (SELECT p.id FROM identity_providers p WHERE p.id::text = a.details->>'provider'),
      coalesce(a.details->>'kind', 'password'),
      a.action = 'auth.login',
      CASE WHEN a.action = 'auth.login' THEN NULL
        ELSE replace(coalesce(a.details->>'reason', 'unknown'), ' ', '_') END,
      coalesce((a.details->>'breakGlass')::boolean, false),
      a.ip
    FROM audit_log a
    WHERE a.tenant_id IS NOT NULL AND EXISTS (SELECT 1 FROM tenants t WHERE t.id = a.tenant_id)
      AND (a.action = 'auth.login'
        OR (a.action = 'auth.login_failed'
          AND coalesce(a.details->>'reason', '') <> 'wrong current password'))
    ORDER BY a.seq`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('login_tickets', (t) => t.dropColumn('signed_in_via'));
  await knex.schema.alterTable('users', (t) => t.dropColumn('last_login_at'));
  await knex.schema.dropTable('sign_in_events');
}
