import type { Knex } from 'knex';

/**
 * Automation rules per tenant and the record of what they did (docs/automation.md):
 * `automation_rules` holds each rule as documents (trigger, conditions, actions) validated by
 * the hub's schemas; `automation_runs` one row per evaluation that ran actions (or was stopped
 * by its guard), unique per rule, subject and key so that a job taken twice acts once;
 * `automation_cursors` how far each ticket's history has been evaluated. Jobs themselves are
 * pg-boss's, in its own schema (docs/decisions.md "Automation jobs: pg-boss").
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('automation_rules', (t) => {
    t.uuid('id').primary().defaultTo(knex.raw('gen_random_uuid()'));
    t.uuid('tenant_id').notNullable().references('tenants.id').onDelete('CASCADE');
    t.text('name').notNullable();
    t.boolean('enabled').notNullable().defaultTo(true);
    t.integer('position').notNullable().defaultTo(0);
    t.jsonb('trigger').notNullable();
    t.text('match').notNullable().defaultTo('all');
    t.jsonb('conditions').notNullable().defaultTo('[]');
    t.jsonb('actions').notNullable().defaultTo('[]');
    t.integer('max_runs_per_ticket').notNullable().defaultTo(5);
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.index(['tenant_id', 'position']);
  });
  await knex.schema.createTable('automation_runs', (t) => {
    t.bigIncrements('id');
    t.uuid('tenant_id').notNullable().references('tenants.id').onDelete('CASCADE');
    t.uuid('rule_id').notNullable().references('automation_rules.id').onDelete('CASCADE');
    t.text('rule_name').notNullable();
    t.uuid('ticket_id').references('tickets.id').onDelete('CASCADE');
    t.uuid('check_id').references('checks.id').onDelete('CASCADE');
    /** What the evaluation answered (`ev:<last event id>`, `resolved:<time>`, …): once each. */
    t.text('key').notNullable();
    t.timestamp('at', { useTz: true }).notNullable();
    t.text('status').notNullable();
    t.jsonb('facts').notNullable();
    t.jsonb('matched').notNullable();
    t.jsonb('actions').notNullable();
    t.text('error');
    t.index(['rule_id', 'at']);
    t.index(['ticket_id', 'at']);
  });
  // NULLS NOT DISTINCT: a run without a ticket (telemetry) or a check is still once per key.
  await knex.raw(`CREATE UNIQUE INDEX automation_runs_once ON automation_runs
    (rule_id, ticket_id, check_id, key) NULLS NOT DISTINCT`);
  await knex.schema.createTable('automation_cursors', (t) => {
    t.uuid('ticket_id').primary().references('tickets.id').onDelete('CASCADE');
    t.uuid('tenant_id').notNullable().references('tenants.id').onDelete('CASCADE');
    t.bigInteger('last_event_id').notNullable();
  });
  for (const table of ['automation_rules', 'automation_runs', 'automation_cursors']) {
    await knex.raw(`ALTER TABLE ${table} ENABLE ROW LEVEL SECURITY`);
    await knex.raw(
      `CREATE POLICY tenant_isolation ON ${table}
       USING (bw_tenant_visible(tenant_id)) WITH CHECK (bw_tenant_visible(tenant_id))`,
    );
  }
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('automation_cursors');
  await knex.schema.dropTable('automation_runs');
  await knex.schema.dropTable('automation_rules');
}
