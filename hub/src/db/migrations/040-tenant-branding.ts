import type { Knex } from 'knex';

/**
 * Branding (docs/branding.md): a tenant's product name, accent colour and logo, shown on its
 * portal, its notification mails and its ticket PDFs. The row without a tenant is the hub's own
 * defaults, set by a global admin, used where a tenant set nothing. Row-level security as for
 * the shared defaults of 010-rls: a tenant's people read their own row and the hub's, write only
 * their own.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('branding', (t) => {
    t.uuid('id').primary().defaultTo(knex.raw('gen_random_uuid()'));
    t.uuid('tenant_id').unique().references('tenants.id').onDelete('CASCADE');
    t.text('product_name');
    /** `#rrggbb`; white text on it keeps 4.5:1 (checked by the hub). */
    t.text('accent_color');
    /** PNG or JPEG, checked by its first bytes; at most 256 KiB. */
    t.binary('logo');
    t.text('logo_type');
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
  });
  // One row of the hub's own defaults.
  await knex.raw(
    'CREATE UNIQUE INDEX branding_hub_defaults ON branding ((tenant_id IS NULL)) WHERE tenant_id IS NULL',
  );
  await knex.raw('ALTER TABLE branding ENABLE ROW LEVEL SECURITY');
  await knex.raw(
    'CREATE POLICY tenant_isolation ON branding USING (bw_tenant_visible(tenant_id)) WITH CHECK (bw_tenant_visible(tenant_id))',
  );
  await knex.raw('CREATE POLICY shared_defaults ON branding FOR SELECT USING (tenant_id IS NULL)');
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('branding');
}
