import type { Knex } from 'knex';

/**
 * Password policy per tenant for local accounts (docs/security.md "Password policy"): least
 * length, refusing passwords of the shipped list of common ones, no reuse of the last N, and
 * how many sessions at once a person of an admin role may hold. One row per tenant; the row
 * without a tenant is the policy of the global users (admins of every tenant). A tenant
 * without a row has the defaults below.
 *
 * `password_history` keeps the argon2id hashes of each user's earlier passwords, so a new one
 * can be checked against them; the current one stays in `users.password_hash`.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('password_policies', (t) => {
    t.uuid('tenant_id').references('tenants.id').onDelete('CASCADE');
    t.integer('min_length').notNullable().defaultTo(8);
    t.boolean('refuse_common').notNullable().defaultTo(true);
    t.integer('history').notNullable().defaultTo(5);
    /** Sessions at once for tenant_admin and admin; null: no limit. */
    t.integer('admin_max_sessions');
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
  });
  await knex.raw(
    'CREATE UNIQUE INDEX password_policies_tenant ON password_policies (tenant_id) NULLS NOT DISTINCT',
  );
  await knex.schema.createTable('password_history', (t) => {
    t.bigIncrements('id').primary();
    t.uuid('user_id').notNullable().references('users.id').onDelete('CASCADE');
    t.text('password_hash').notNullable();
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.index(['user_id', 'created_at']);
  });
  // As 015 and 010: a tenant's requests see their own rows; the global row (no tenant) only
  // global users see.
  await isolate(knex, 'password_policies', 'bw_tenant_visible(tenant_id)');
  await isolate(
    knex,
    'password_history',
    `EXISTS (SELECT 1 FROM users u WHERE u.id = password_history.user_id
      AND bw_tenant_visible(u.tenant_id))`,
  );
}

async function isolate(knex: Knex, table: string, predicate: string): Promise<void> {
  await knex.raw(`ALTER TABLE ${table} ENABLE ROW LEVEL SECURITY`);
  await knex.raw(
    `CREATE POLICY tenant_isolation ON ${table} USING (${predicate}) WITH CHECK (${predicate})`,
  );
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('password_history');
  await knex.schema.dropTableIfExists('password_policies');
}
