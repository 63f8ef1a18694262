import type { Knex } from 'knex';

/**
 * The portal's first-visit tour (docs/requesters.md "First visit"): a row per person who has
 * finished or skipped it, so it is not shown again in another browser; deleting the row ("show
 * the tips again" on the Profile page) shows it on the next visit. Isolated by tenant like
 * everything a person of a tenant writes (010-rls); a global admin's row has no tenant.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('portal_tour', (t) => {
    t.uuid('user_id').primary().references('users.id').onDelete('CASCADE');
    t.uuid('tenant_id').references('tenants.id').onDelete('CASCADE');
    t.timestamp('done_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
  });
  await knex.raw('ALTER TABLE portal_tour ENABLE ROW LEVEL SECURITY');
  const visible = 'bw_tenant_visible(tenant_id)';
  await knex.raw(
    `CREATE POLICY tenant_isolation ON portal_tour USING (${visible}) WITH CHECK (${visible})`,
  );
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('portal_tour');
}
