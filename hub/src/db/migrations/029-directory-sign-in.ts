import type { Knex } from 'knex';

/**
 * Signing in through a tenant's LDAP directory or Active Directory (docs/sso.md, "LDAP and
 * Active Directory"), and the tenant's choice to require its providers:
 *
 * - `tenants.sso_required`: people of the tenant sign in through one of its providers; only
 *   accounts marked `users.break_glass` may still use a password of the hub.
 * - `user_identities.login_name`: the name the person typed at their last directory sign-in,
 *   so that a person the directory no longer finds (removed, or disabled and left out by the
 *   provider's search filter) loses access at their next attempt.
 * - `user_identities.revoked_at`: when the directory (not an admin) took the person's access
 *   away; a later sign-in the directory accepts gives it back.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('tenants', (t) => {
    t.boolean('sso_required').notNullable().defaultTo(false);
  });
  await knex.schema.alterTable('user_identities', (t) => {
    t.text('login_name');
    t.timestamp('revoked_at', { useTz: true });
  });
  await knex.raw(
    'CREATE INDEX user_identities_login_name ON user_identities (provider_id, lower(login_name))',
  );
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('DROP INDEX user_identities_login_name');
  await knex.schema.alterTable('user_identities', (t) => t.dropColumns('login_name', 'revoked_at'));
  await knex.schema.alterTable('tenants', (t) => t.dropColumn('sso_required'));
}
