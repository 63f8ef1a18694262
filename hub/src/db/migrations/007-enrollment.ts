import type { Knex } from 'knex';

/**
 * Agent enrollment and staged updates: one-time enrollment tokens, rollout groups of
 * branches with the agent version each should run, and what each agent last said about an
 * update. Release files themselves live in BW_DATA_DIR/releases, not in the database.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('enrollment_tokens', (t) => {
    t.uuid('id').primary().defaultTo(knex.raw('gen_random_uuid()'));
    t.uuid('tenant_id').notNullable().references('tenants.id').onDelete('CASCADE');
    t.uuid('branch_id').notNullable().references('branches.id').onDelete('CASCADE');
    /** SHA-256 of the token: the token itself is shown once and never stored. */
    t.text('token_hash').notNullable().unique();
    /** The agent id (slug) the new agent gets. */
    t.text('agent_slug').notNullable();
    t.timestamp('expires_at', { useTz: true }).notNullable();
    t.timestamp('used_at', { useTz: true });
    t.uuid('agent_id').references('agents.id').onDelete('SET NULL');
    t.uuid('created_by').references('users.id').onDelete('SET NULL');
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
  });
  await knex.schema.createTable('rollout_groups', (t) => {
    t.uuid('id').primary().defaultTo(knex.raw('gen_random_uuid()'));
    t.uuid('tenant_id').notNullable().references('tenants.id').onDelete('CASCADE');
    t.text('name').notNullable();
    /** The agent version the group's branches should run; null: leave them as they are. */
    t.text('target_version');
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.unique(['tenant_id', 'name']);
  });
  await knex.schema.createTable('rollout_group_branches', (t) => {
    /** A branch is in at most one group, so its target version is never ambiguous. */
    t.uuid('branch_id').primary().references('branches.id').onDelete('CASCADE');
    t.uuid('group_id').notNullable().references('rollout_groups.id').onDelete('CASCADE');
  });
  await knex.schema.createTable('agent_updates', (t) => {
    t.uuid('agent_id').primary().references('agents.id').onDelete('CASCADE');
    t.text('version').notNullable();
    /** installing, applied, refused, rolled-back, failed */
    t.text('state').notNullable();
    t.text('detail');
    t.timestamp('reported_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('agent_updates');
  await knex.schema.dropTable('rollout_group_branches');
  await knex.schema.dropTable('rollout_groups');
  await knex.schema.dropTable('enrollment_tokens');
}
