import type { Knex } from 'knex';

/**
 * SCIM 2.0 provisioning (RFC 7643/7644, docs/scim.md): a directory creates, changes,
 * deactivates and removes a tenant's people and groups through `/scim/v2`, with a bearer token
 * of the tenant's.
 *
 * - `scim_tokens`: the tenant's tokens (SHA-256 of the token, as API tokens).
 * - users gain what SCIM carries beside the username: the directory's `externalId`, the other
 *   attributes it sent (name, e-mails, display name), and `provisioned_by` ('scim' for people the directory manages; such a
 *   person has no usable password). `scim_deleted_at`: removed by the directory — disabled,
 *   kept for the tickets and audit entries that name them, gone from SCIM's answers.
 * - `scim_groups` and their members: the directory's groups in the tenant.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('scim_tokens', (t) => {
    t.uuid('id').primary().defaultTo(knex.raw('gen_random_uuid()'));
    t.uuid('tenant_id').notNullable().references('tenants.id').onDelete('CASCADE');
    t.text('name').notNullable();
    t.text('token_hash').notNullable().unique();
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('last_used_at', { useTz: true });
    t.timestamp('revoked_at', { useTz: true });
    t.index(['tenant_id']);
  });
  await knex.schema.alterTable('users', (t) => {
    t.text('external_id');
    /** The SCIM resource's other attributes as the directory sent them (name, emails, …). */
    t.jsonb('scim_attributes');
    t.text('provisioned_by');
    t.timestamp('scim_deleted_at', { useTz: true });
    t.timestamp('updated_at', { useTz: true });
  });
  await knex.schema.createTable('scim_groups', (t) => {
    t.uuid('id').primary().defaultTo(knex.raw('gen_random_uuid()'));
    t.uuid('tenant_id').notNullable().references('tenants.id').onDelete('CASCADE');
    t.text('display_name').notNullable();
    t.text('external_id');
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.unique(['tenant_id', 'display_name']);
  });
  await knex.schema.createTable('scim_group_members', (t) => {
    t.uuid('group_id').notNullable().references('scim_groups.id').onDelete('CASCADE');
    t.uuid('user_id').notNullable().references('users.id').onDelete('CASCADE');
    t.primary(['group_id', 'user_id']);
    t.index(['user_id']);
  });
  await isolate(knex, 'scim_tokens', 'bw_tenant_visible(tenant_id)');
  await isolate(knex, 'scim_groups', 'bw_tenant_visible(tenant_id)');
  await isolate(
    knex,
    'scim_group_members',
    'EXISTS (SELECT 1 FROM scim_groups g WHERE g.id = scim_group_members.group_id)',
  );
}

async function isolate(knex: Knex, table: string, predicate: string): Promise<void> {
  await knex.raw(`ALTER TABLE ${table} ENABLE ROW LEVEL SECURITY`);
  await knex.raw(
    `CREATE POLICY tenant_isolation ON ${table} USING (${predicate}) WITH CHECK (${predicate})`,
  );
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('scim_group_members');
  await knex.schema.dropTableIfExists('scim_groups');
  await knex.schema.alterTable('users', (t) => {
    t.dropColumns(
      'external_id',
      'scim_attributes',
      'provisioned_by',
      'scim_deleted_at',
      'updated_at',
    );
  });
  await knex.schema.dropTableIfExists('scim_tokens');
}
