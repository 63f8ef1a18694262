import type { Knex } from 'knex';

/**
 * What a provider's answer showed besides the sign-in (docs/sso.md "Security report"): SHA-1
 * signatures and clock skew, kept with the sign-in or refusal they came with, as a JSON array
 * (`[{"kind":"sha1","accepted":true}]`, `[{"kind":"clock_skew","seconds":-185}]`).
 *
 * SAML providers refuse SHA-1 signatures unless `settings.acceptSha1` says otherwise; those made
 * before accepted them, and keep doing so (their sign-ins now raise the finding instead) until an
 * admin changes it.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('sign_in_events', (t) => t.jsonb('findings'));
  await knex.raw(
    `CREATE INDEX sign_in_events_findings ON sign_in_events (provider_id, at) WHERE findings IS NOT NULL`,
  );
  await knex.raw(
    `UPDATE identity_providers SET settings = settings || '{"acceptSha1": true}'::jsonb
     WHERE kind = 'saml' AND settings->'acceptSha1' IS NULL`,
  );
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw(
    `UPDATE identity_providers SET settings = settings - 'acceptSha1' WHERE kind = 'saml'`,
  );
  await knex.schema.alterTable('sign_in_events', (t) => t.dropColumn('findings'));
}
