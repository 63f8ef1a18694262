import type { Knex } from 'knex';

/**
 * Sign-in through a tenant's own identity providers (docs/sso.md): OpenID Connect, SAML 2.0
 * and LDAP share one table of providers and one table of mapping rules, so that every kind
 * provisions users and maps roles and branches the same way.
 *
 * - `identity_providers`: per tenant, any number; `settings` holds what is not secret
 *   (issuer, client id, IdP metadata, LDAP base DN …), `secret_sealed` the client secret or
 *   bind password sealed with the hub's secret key (identity/secret-box.ts).
 * - `identity_provider_domains`: the e-mail domains that route a person to a provider. A
 *   domain belongs to one provider of one tenant across the whole hub (the primary key), since
 *   the login page routes by it before it knows the tenant.
 * - `identity_provider_rules`: a group or claim value → a role (built-in or custom) and a
 *   branch scope (null: the whole tenant), applied at each login by the provider's
 *   `mapping_mode` (replace, add_only, first_login).
 * - `user_identities`: which provider subject is which user; a user is found by this link
 *   only, never by a matching username or e-mail.
 * - `sso_login_states`: a login between the redirect to the provider and its answer (OIDC
 *   state, nonce and PKCE verifier; SAML request id), kept in PostgreSQL so that any hub
 *   process can take the answer.
 * - `saml_seen_assertions`: assertion ids accepted, until they expire (replay cache).
 * - `users.break_glass`: in a tenant with an enabled provider, only these accounts may still
 *   sign in with a password.
 * - `sessions.identity_provider_id` / `sso_logout`: what RP-initiated or single logout needs.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('identity_providers', (t) => {
    t.uuid('id').primary().defaultTo(knex.raw('gen_random_uuid()'));
    t.uuid('tenant_id').notNullable().references('tenants.id').onDelete('CASCADE');
    t.text('kind').notNullable();
    t.text('name').notNullable();
    t.boolean('enabled').notNullable().defaultTo(true);
    t.jsonb('settings').notNullable().defaultTo('{}');
    t.text('secret_sealed');
    /** Create users at their first login (just in time). */
    t.boolean('provision_users').notNullable().defaultTo(true);
    t.text('mapping_mode').notNullable().defaultTo('replace');
    /** The role of a person no rule matches; null: such a person is refused. */
    t.text('default_role');
    /** Believe the provider's MFA when its answer proves it (amr/acr, AuthnContext). */
    t.boolean('trust_mfa').notNullable().defaultTo(false);
    /** `amr` values or `acr`/AuthnContext classes that prove MFA. */
    t.specificType('mfa_values', 'text[]').notNullable().defaultTo('{}');
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.unique(['tenant_id', 'name']);
    t.index(['tenant_id']);
  });
  await knex.raw(`ALTER TABLE identity_providers
    ADD CONSTRAINT identity_providers_kind CHECK (kind IN ('oidc', 'saml', 'ldap')),
    ADD CONSTRAINT identity_providers_mode
      CHECK (mapping_mode IN ('replace', 'add_only', 'first_login'))`);

  await knex.schema.createTable('identity_provider_domains', (t) => {
    t.text('domain').primary();
    t.uuid('provider_id').notNullable().references('identity_providers.id').onDelete('CASCADE');
    t.index(['provider_id']);
  });

  await knex.schema.createTable('identity_provider_rules', (t) => {
    t.uuid('id').primary().defaultTo(knex.raw('gen_random_uuid()'));
    t.uuid('provider_id').notNullable().references('identity_providers.id').onDelete('CASCADE');
    t.integer('position').notNullable();
    /** The claim or attribute to look in (`groups`, `roles`, a SAML attribute name). */
    t.text('claim').notNullable();
    t.text('value').notNullable();
    t.text('role');
    t.uuid('custom_role_id').references('roles.id').onDelete('CASCADE');
    /** Null: the whole tenant; otherwise these branches. */
    t.specificType('branch_ids', 'uuid[]');
    t.index(['provider_id', 'position']);
  });

  await knex.schema.createTable('user_identities', (t) => {
    t.uuid('provider_id').notNullable().references('identity_providers.id').onDelete('CASCADE');
    t.text('subject').notNullable();
    t.uuid('user_id').notNullable().references('users.id').onDelete('CASCADE');
    t.text('email');
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('last_login_at', { useTz: true });
    t.primary(['provider_id', 'subject']);
    t.index(['user_id']);
  });

  await knex.schema.createTable('sso_login_states', (t) => {
    t.text('state_hash').primary();
    t.uuid('provider_id').notNullable().references('identity_providers.id').onDelete('CASCADE');
    /** 'login' or 'test' (an admin's "test this provider": nothing is changed). */
    t.text('purpose').notNullable();
    t.uuid('requested_by');
    t.jsonb('data').notNullable();
    t.timestamp('expires_at', { useTz: true }).notNullable();
  });

  await knex.schema.createTable('saml_seen_assertions', (t) => {
    t.uuid('provider_id').notNullable().references('identity_providers.id').onDelete('CASCADE');
    t.text('assertion_id').notNullable();
    t.timestamp('expires_at', { useTz: true }).notNullable();
    t.primary(['provider_id', 'assertion_id']);
    t.index(['expires_at']);
  });

  await knex.schema.alterTable('users', (t) => {
    t.boolean('break_glass').notNullable().defaultTo(false);
    t.text('email');
  });
  await knex.schema.alterTable('sessions', (t) => {
    t.uuid('identity_provider_id').references('identity_providers.id').onDelete('CASCADE');
    /** What the provider's logout needs: the ID token (OIDC), NameID and session index (SAML). */
    t.jsonb('sso_logout');
  });

  await knex.raw('ALTER TABLE identity_providers ENABLE ROW LEVEL SECURITY');
  await knex.raw(`CREATE POLICY tenant_isolation ON identity_providers
    USING (bw_tenant_visible(tenant_id)) WITH CHECK (bw_tenant_visible(tenant_id))`);
  for (const table of [
    'identity_provider_domains',
    'identity_provider_rules',
    'user_identities',
    'sso_login_states',
    'saml_seen_assertions',
  ]) {
    const visible = `EXISTS (SELECT 1 FROM identity_providers p WHERE p.id = ${table}.provider_id)`;
    await knex.raw(`ALTER TABLE ${table} ENABLE ROW LEVEL SECURITY`);
    await knex.raw(
      `CREATE POLICY tenant_isolation ON ${table} USING (${visible}) WITH CHECK (${visible})`,
    );
  }
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('sessions', (t) =>
    t.dropColumns('identity_provider_id', 'sso_logout'),
  );
  await knex.schema.alterTable('users', (t) => t.dropColumns('break_glass', 'email'));
  for (const table of [
    'saml_seen_assertions',
    'sso_login_states',
    'user_identities',
    'identity_provider_rules',
    'identity_provider_domains',
    'identity_providers',
  ])
    await knex.schema.dropTable(table);
}
