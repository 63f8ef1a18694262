import type { Knex } from 'knex';

/**
 * Alerts (docs/alerts.md): threshold rules, maintenance windows, parent links for root cause,
 * flapping and the state-change history it is counted from, and what tickets need to be
 * reopened, prioritised and grouped under one root cause.
 */
export async function up(knex: Knex): Promise<void> {
  // One rule set per scope and check type ('*': every type). Layers merge field by field,
  // most specific last: code defaults < tenant < branch < check.
  await knex.schema.createTable('alert_rules', (t) => {
    t.uuid('id').primary().defaultTo(knex.raw('gen_random_uuid()'));
    t.uuid('tenant_id').notNullable().references('tenants.id').onDelete('CASCADE');
    t.text('scope').notNullable();
    t.uuid('scope_id').notNullable();
    t.text('check_type').notNullable().defaultTo('*');
    /** [{ field, op, value, abs?, enabled? }] */
    t.jsonb('thresholds').notNullable().defaultTo('[]');
    t.integer('fail_rounds');
    t.integer('recover_rounds');
    t.integer('flap_changes');
    t.integer('flap_window_seconds');
    t.integer('flap_quiet_seconds');
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.unique(['scope', 'scope_id', 'check_type']);
  });
  await knex.raw(
    `ALTER TABLE alert_rules ADD CONSTRAINT alert_rules_scope_check
     CHECK (scope IN ('tenant', 'branch', 'check'))`,
  );

  await knex.schema.createTable('maintenance_windows', (t) => {
    t.uuid('id').primary().defaultTo(knex.raw('gen_random_uuid()'));
    t.uuid('tenant_id').notNullable().references('tenants.id').onDelete('CASCADE');
    t.text('scope').notNullable();
    t.uuid('scope_id').notNullable();
    t.text('reason').notNullable().defaultTo('');
    /** One-off window. */
    t.timestamp('starts_at', { useTz: true });
    t.timestamp('ends_at', { useTz: true });
    /** Recurring window: ranges per weekday ({ sat: ['02:00-04:00'] }) on `zone`'s clock. */
    t.jsonb('weekly');
    /** IANA zone of a weekly window; null: the branch's own zone. */
    t.text('zone');
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.index(['tenant_id']);
  });
  await knex.raw(
    `ALTER TABLE maintenance_windows ADD CONSTRAINT maintenance_windows_shape_check CHECK (
       scope IN ('tenant', 'branch', 'agent', 'check') AND
       ((starts_at IS NOT NULL AND ends_at IS NOT NULL AND ends_at > starts_at AND weekly IS NULL)
        OR (weekly IS NOT NULL AND starts_at IS NULL AND ends_at IS NULL)))`,
  );

  // Parents an admin adds by hand; the agent and its branch's WAN check need no row.
  await knex.schema.createTable('alert_parent_links', (t) => {
    t.uuid('id').primary().defaultTo(knex.raw('gen_random_uuid()'));
    t.uuid('tenant_id').notNullable().references('tenants.id').onDelete('CASCADE');
    t.uuid('parent_check_id').notNullable().references('checks.id').onDelete('CASCADE');
    t.uuid('child_check_id').notNullable().references('checks.id').onDelete('CASCADE');
    t.unique(['parent_check_id', 'child_check_id']);
    t.index(['child_check_id']);
  });

  await knex.schema.createTable('check_state_changes', (t) => {
    t.uuid('check_id').notNullable().references('checks.id').onDelete('CASCADE');
    t.timestamp('at', { useTz: true }).notNullable();
    t.text('to').notNullable();
    t.primary(['check_id', 'at']);
  });

  await knex.schema.alterTable('checks', (t) => {
    /** 'wan': the branch's uplink check, parent of every other check at the branch. */
    t.text('role');
    t.timestamp('flapping_since', { useTz: true });
    /** Set when the alert expired without a recovery; cleared by the next state change. */
    t.timestamp('alert_expired_at', { useTz: true });
  });
  await knex.raw(`ALTER TABLE checks ADD CONSTRAINT checks_role_check CHECK (role IN ('wan'))`);

  await knex.schema.alterTable('branches', (t) => {
    t.text('criticality').notNullable().defaultTo('normal');
    t.text('time_zone').notNullable().defaultTo('UTC');
  });
  await knex.raw(
    `ALTER TABLE branches ADD CONSTRAINT branches_criticality_check
     CHECK (criticality IN ('low', 'normal', 'high', 'critical'))`,
  );

  await knex.schema.alterTable('tickets', (t) => {
    t.text('priority_reason');
    /** A person set the priority; the hub no longer changes it. */
    t.boolean('priority_overridden').notNullable().defaultTo(false);
    /** Times the ticket was reopened by a repeat of its alert. */
    t.integer('repeat_count').notNullable().defaultTo(0);
    /** 'check' or 'agent' (agent offline) for alert tickets. */
    t.text('alert_kind');
  });

  // Children whose alerts were attached to a root-cause ticket instead of opening their own.
  await knex.schema.createTable('incident_children', (t) => {
    t.uuid('parent_ticket_id').notNullable().references('tickets.id').onDelete('CASCADE');
    t.uuid('check_id').notNullable().references('checks.id').onDelete('CASCADE');
    t.timestamp('attached_at', { useTz: true }).notNullable();
    t.primary(['parent_ticket_id', 'check_id']);
  });

  // When an agent was seen offline and back: the "branch unreachable from T1 to T2" record.
  await knex.schema.createTable('agent_outages', (t) => {
    t.bigIncrements('id');
    t.uuid('agent_id').notNullable().references('agents.id').onDelete('CASCADE');
    t.timestamp('offline_at', { useTz: true }).notNullable();
    t.timestamp('online_at', { useTz: true });
    t.index(['agent_id', 'offline_at']);
  });
  await knex.raw(
    `CREATE UNIQUE INDEX agent_outages_one_open ON agent_outages (agent_id) WHERE online_at IS NULL`,
  );
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('agent_outages');
  await knex.schema.dropTable('incident_children');
  await knex.schema.alterTable('tickets', (t) => {
    t.dropColumns('priority_reason', 'priority_overridden', 'repeat_count', 'alert_kind');
  });
  await knex.schema.alterTable('branches', (t) => t.dropColumns('criticality', 'time_zone'));
  await knex.schema.alterTable('checks', (t) => {
    t.dropColumns('role', 'flapping_since', 'alert_expired_at');
  });
  await knex.schema.dropTable('check_state_changes');
  await knex.schema.dropTable('alert_parent_links');
  await knex.schema.dropTable('maintenance_windows');
  await knex.schema.dropTable('alert_rules');
}
