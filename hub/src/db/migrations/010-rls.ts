import type { Knex } from 'knex';

/**
 * Roles and permissions, branch scoping, and tenant isolation in PostgreSQL itself
 * (docs/architecture.md "Tenants and access").
 *
 * Row-level security only binds roles that neither own the tables nor are superusers, and the
 * hub connects as the owner (the embedded cluster's superuser). So API requests run in a
 * transaction that does `SET LOCAL ROLE bw_api` and sets `app.tenant_id` / `app.branch_ids`
 * (db/request-scope.ts). A policy lets a row through when the request set no tenant (global
 * admins) or when the row is the tenant's. The hub's own background work (ingest, sweeps,
 * incident reconcile) runs as the connecting role: it serves every tenant at once, and RLS
 * does not apply to it by design.
 */

const ROLE = 'bw_api';

/** Tables with a NOT NULL tenant_id; `branch` names the column that branch scoping filters. */
const TENANT_TABLES: { table: string; branch?: string }[] = [
  { table: 'branches', branch: 'id' },
  { table: 'agents', branch: 'branch_id' },
  { table: 'checks', branch: 'branch_id' },
  { table: 'tickets', branch: 'branch_id' },
  { table: 'enrollment_tokens', branch: 'branch_id' },
  { table: 'agent_events' },
  { table: 'alert_rules' },
  { table: 'maintenance_windows' },
  { table: 'alert_parent_links' },
  { table: 'rollout_groups' },
];

/** Tables whose rows without a tenant are shared defaults every tenant may read, not change. */
const SHARED_DEFAULT_TABLES = [
  'support_groups',
  'canned_replies',
  'sla_calendars',
  'sla_policies',
  'roles',
  'users',
];

/**
 * Tables without tenant_id: a row is visible when its parent row is. The parent's own policy
 * applies inside the subquery, so visibility follows the chain up to the tenant.
 */
const CHILD_TABLES: { table: string; column: string; parent: string }[] = [
  { table: 'check_results', column: 'check_id', parent: 'checks' },
  { table: 'check_state_changes', column: 'check_id', parent: 'checks' },
  { table: 'result_batches', column: 'agent_id', parent: 'agents' },
  { table: 'inventory_devices', column: 'agent_id', parent: 'agents' },
  { table: 'inventory_links', column: 'agent_id', parent: 'agents' },
  { table: 'agent_outages', column: 'agent_id', parent: 'agents' },
  { table: 'agent_updates', column: 'agent_id', parent: 'agents' },
  { table: 'ticket_events', column: 'ticket_id', parent: 'tickets' },
  { table: 'ticket_tags', column: 'ticket_id', parent: 'tickets' },
  { table: 'ticket_watchers', column: 'ticket_id', parent: 'tickets' },
  { table: 'ticket_links', column: 'ticket_id', parent: 'tickets' },
  { table: 'ticket_attachments', column: 'ticket_id', parent: 'tickets' },
  { table: 'incident_children', column: 'parent_ticket_id', parent: 'tickets' },
  { table: 'group_members', column: 'group_id', parent: 'support_groups' },
  { table: 'rollout_group_branches', column: 'branch_id', parent: 'branches' },
  { table: 'user_branches', column: 'branch_id', parent: 'branches' },
];

const ALL_TABLES = [
  'tenants',
  ...TENANT_TABLES.map((t) => t.table),
  ...SHARED_DEFAULT_TABLES,
  ...CHILD_TABLES.map((t) => t.table),
];

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('roles', (t) => {
    t.uuid('id').primary().defaultTo(knex.raw('gen_random_uuid()'));
    t.uuid('tenant_id').references('tenants.id').onDelete('CASCADE');
    t.text('name').notNullable();
    t.specificType('permissions', 'text[]').notNullable();
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.unique(['tenant_id', 'name']);
  });
  await knex.schema.alterTable('users', (t) => {
    t.uuid('custom_role_id').references('roles.id').onDelete('SET NULL');
    t.timestamp('disabled_at', { useTz: true });
  });
  await knex.schema.createTable('user_branches', (t) => {
    t.uuid('user_id').notNullable().references('users.id').onDelete('CASCADE');
    t.uuid('branch_id').notNullable().references('branches.id').onDelete('CASCADE');
    t.primary(['user_id', 'branch_id']);
  });

  await createApiRole(knex);
  // Inlined by the planner (SQL, STABLE). Unset and '' both mean "no tenant set": a custom
  // setting reads '' once a SET LOCAL on the same connection has ended. CASE, not OR: OR does
  // not order its operands, and ''::uuid would fail.
  await knex.raw(`
    CREATE FUNCTION bw_tenant_visible(tenant uuid) RETURNS boolean LANGUAGE sql STABLE AS $$
      SELECT CASE WHEN coalesce(current_setting('app.tenant_id', true), '') = '' THEN true
        ELSE tenant = current_setting('app.tenant_id', true)::uuid END $$`);
  await knex.raw(`
    CREATE FUNCTION bw_branch_visible(branch uuid) RETURNS boolean LANGUAGE sql STABLE AS $$
      SELECT CASE WHEN coalesce(current_setting('app.branch_ids', true), '') = '' THEN true
        ELSE branch = ANY (string_to_array(current_setting('app.branch_ids', true), ',')::uuid[])
      END $$`);

  await isolate(knex, 'tenants', 'bw_tenant_visible(id)');
  for (const { table, branch } of TENANT_TABLES) {
    const branchClause = branch ? ` AND bw_branch_visible(${branch})` : '';
    await isolate(knex, table, `bw_tenant_visible(tenant_id)${branchClause}`);
  }
  for (const table of SHARED_DEFAULT_TABLES) {
    await isolate(knex, table, 'bw_tenant_visible(tenant_id)');
    await knex.raw(
      `CREATE POLICY shared_defaults ON ${table} FOR SELECT USING (tenant_id IS NULL)`,
    );
  }
  for (const { table, column, parent } of CHILD_TABLES) {
    await isolate(
      knex,
      table,
      `EXISTS (SELECT 1 FROM ${parent} p WHERE p.id = ${table}.${column})`,
    );
  }
}

/** A NOLOGIN role without BYPASSRLS; roles are per cluster, so every database shares it. */
async function createApiRole(knex: Knex): Promise<void> {
  await knex.raw(`
    DO $$ BEGIN
      IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '${ROLE}') THEN
        BEGIN
          CREATE ROLE ${ROLE} NOLOGIN NOBYPASSRLS;
        EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL; -- a parallel migration
        END;
      END IF;
      -- A non-superuser hub (BW_DATABASE_URL) must be a member to SET ROLE.
      IF NOT (SELECT rolsuper FROM pg_roles WHERE rolname = current_user) THEN
        EXECUTE format('GRANT ${ROLE} TO %I', current_user);
      END IF;
    END $$`);
  await knex.raw(`GRANT USAGE ON SCHEMA public TO ${ROLE}`);
  await knex.raw(`GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO ${ROLE}`);
  await knex.raw(`GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA public TO ${ROLE}`);
  // Tables later migrations (and new partitions) create are usable by API requests too.
  await knex.raw(
    `ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO ${ROLE}`,
  );
  await knex.raw(
    `ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT USAGE, SELECT, UPDATE ON SEQUENCES TO ${ROLE}`,
  );
}

async function isolate(knex: Knex, table: string, predicate: string): Promise<void> {
  await knex.raw(`ALTER TABLE ${table} ENABLE ROW LEVEL SECURITY`);
  await knex.raw(
    `CREATE POLICY tenant_isolation ON ${table} USING (${predicate}) WITH CHECK (${predicate})`,
  );
}

export async function down(knex: Knex): Promise<void> {
  for (const table of ALL_TABLES) {
    await knex.raw(`DROP POLICY IF EXISTS tenant_isolation ON ${table}`);
    await knex.raw(`DROP POLICY IF EXISTS shared_defaults ON ${table}`);
    await knex.raw(`ALTER TABLE ${table} DISABLE ROW LEVEL SECURITY`);
  }
  await knex.raw('DROP FUNCTION bw_tenant_visible(uuid)');
  await knex.raw('DROP FUNCTION bw_branch_visible(uuid)');
  // The role is shared by the cluster's databases: only this database's grants go.
  await knex.raw(`DROP OWNED BY ${ROLE}`);
  await knex.schema.dropTable('user_branches');
  await knex.schema.alterTable('users', (t) => t.dropColumns('custom_role_id', 'disabled_at'));
  await knex.schema.dropTable('roles');
}
