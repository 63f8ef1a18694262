import type { Knex } from 'knex';

/**
 * The in-app notification centre (docs/notifications.md "In the app"): one row per person and
 * piece of news about a ticket (a reply, a state change, an assignment, a mention, an SLA
 * warning), read or not. Written once per source event and person (`source_key`); isolated
 * like the tickets they are about, by tenant and by branch (010-rls); the API adds that a
 * person reads only their own.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('inbox_notifications', (t) => {
    t.uuid('id').primary().defaultTo(knex.raw('gen_random_uuid()'));
    t.uuid('tenant_id').notNullable().references('tenants.id').onDelete('CASCADE');
    t.uuid('branch_id').references('branches.id').onDelete('SET NULL');
    t.uuid('user_id').notNullable().references('users.id').onDelete('CASCADE');
    t.uuid('ticket_id').references('tickets.id').onDelete('CASCADE');
    t.text('kind').notNullable();
    t.jsonb('data').notNullable().defaultTo('{}');
    t.text('source_key').notNullable();
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('read_at', { useTz: true });
    t.unique(['user_id', 'source_key']);
    t.index(['user_id', 'created_at']);
  });
  await knex.raw('ALTER TABLE inbox_notifications ENABLE ROW LEVEL SECURITY');
  const visible = 'bw_tenant_visible(tenant_id) AND bw_branch_visible(branch_id)';
  await knex.raw(
    `CREATE POLICY tenant_isolation ON inbox_notifications USING (${visible}) WITH CHECK (${visible})`,
  );
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('inbox_notifications');
}
