import type { Knex } from 'knex';

/**
 * Retention per tenant and the audit log's pruned entries (docs/privacy.md).
 *
 * - `retention_policies`: how long a tenant's raw rounds, the attachments of its finished
 *   tickets, its closed tickets and its audit entries are kept (null: the hub's default, or for
 *   ever). Isolated by tenant like the tenant's other settings.
 * - `audit_log.pruned_at`: an entry past its tenant's retention loses its content (actor,
 *   target, address, details) but keeps its place, its hash and its link, so the chain still
 *   proves that nothing else was changed or taken out (identity/audit/audit-chain.ts).
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('retention_policies', (t) => {
    t.uuid('tenant_id').primary().references('tenants.id').onDelete('CASCADE');
    t.integer('rounds_days');
    t.integer('attachments_days');
    t.integer('closed_tickets_days');
    t.integer('audit_days');
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
  });
  await knex.raw('ALTER TABLE retention_policies ENABLE ROW LEVEL SECURITY');
  const visible = 'bw_tenant_visible(tenant_id)';
  await knex.raw(
    `CREATE POLICY tenant_isolation ON retention_policies USING (${visible}) WITH CHECK (${visible})`,
  );
  await knex.schema.alterTable('audit_log', (t) => {
    t.timestamp('pruned_at', { useTz: true });
  });
  await knex.schema.alterTable('users', (t) => {
    /** Set once an admin erased the person: the row stays, pseudonymised, for the reports. */
    t.timestamp('erased_at', { useTz: true });
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('users', (t) => t.dropColumn('erased_at'));
  await knex.schema.alterTable('audit_log', (t) => t.dropColumn('pruned_at'));
  await knex.schema.dropTable('retention_policies');
}
