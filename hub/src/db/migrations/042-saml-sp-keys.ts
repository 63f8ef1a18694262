import type { Knex } from 'knex';

/**
 * The hub's own keys for each SAML provider (docs/sso.md "The hub's certificates"): a signing
 * key for its AuthnRequests and LogoutRequests and a key IdPs encrypt assertions to, both
 * private halves sealed with the hub's key like the other provider secrets
 * (`sp_keys_sealed`), and their certificates, public, with their end dates
 * (`sp_certificates`). The table is already under row-level security (026).
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('identity_providers', (t) => {
    t.text('sp_keys_sealed');
    t.jsonb('sp_certificates');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('identity_providers', (t) => {
    t.dropColumns('sp_keys_sealed', 'sp_certificates');
  });
}
