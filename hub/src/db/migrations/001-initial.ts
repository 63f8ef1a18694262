import type { Knex } from 'knex';

/**
 * Tenants, branches, agents, users, checks, results and tickets: the walking skeleton's schema.
 * Every row belongs to a tenant (docs/architecture.md "Tenants and access").
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('tenants', (t) => {
    t.uuid('id').primary().defaultTo(knex.raw('gen_random_uuid()'));
    t.text('slug').notNullable().unique();
    t.text('name').notNullable();
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
  });

  await knex.schema.createTable('branches', (t) => {
    t.uuid('id').primary().defaultTo(knex.raw('gen_random_uuid()'));
    t.uuid('tenant_id').notNullable().references('tenants.id').onDelete('CASCADE');
    t.text('slug').notNullable();
    t.text('name').notNullable();
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.unique(['tenant_id', 'slug']);
  });

  await knex.schema.createTable('agents', (t) => {
    t.uuid('id').primary().defaultTo(knex.raw('gen_random_uuid()'));
    t.uuid('tenant_id').notNullable().references('tenants.id').onDelete('CASCADE');
    t.uuid('branch_id').notNullable().references('branches.id').onDelete('CASCADE');
    t.text('slug').notNullable();
    t.text('name').notNullable();
    /** MQTT username; the password is stored only as a hash. */
    t.text('username').notNullable().unique();
    t.text('password_hash').notNullable();
    t.boolean('online').notNullable().defaultTo(false);
    t.timestamp('last_seen_at', { useTz: true });
    t.text('version');
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.unique(['branch_id', 'slug']);
  });

  await knex.schema.createTable('users', (t) => {
    t.uuid('id').primary().defaultTo(knex.raw('gen_random_uuid()'));
    /** Null for people who work across tenants (the first admin). */
    t.uuid('tenant_id').references('tenants.id').onDelete('CASCADE');
    t.text('username').notNullable().unique();
    t.text('password_hash').notNullable();
    t.text('role').notNullable();
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
  });

  await knex.schema.createTable('sessions', (t) => {
    /** SHA-256 of the token: a leaked table does not leak live sessions. */
    t.text('token_hash').primary();
    t.uuid('user_id').notNullable().references('users.id').onDelete('CASCADE');
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('expires_at', { useTz: true }).notNullable();
  });

  await knex.schema.createTable('checks', (t) => {
    t.uuid('id').primary().defaultTo(knex.raw('gen_random_uuid()'));
    t.uuid('tenant_id').notNullable().references('tenants.id').onDelete('CASCADE');
    t.uuid('branch_id').notNullable().references('branches.id').onDelete('CASCADE');
    t.uuid('agent_id').notNullable().references('agents.id').onDelete('CASCADE');
    /** The check's id in the agent's config. */
    t.text('key').notNullable();
    t.text('type').notNullable();
    t.text('target').notNullable();
    t.text('state').notNullable().defaultTo('unknown');
    t.timestamp('state_since', { useTz: true });
    t.integer('fail_streak').notNullable().defaultTo(0);
    t.integer('ok_streak').notNullable().defaultTo(0);
    t.timestamp('streak_since', { useTz: true });
    t.timestamp('last_result_at', { useTz: true });
    t.text('last_status');
    t.text('last_reason');
    t.jsonb('last_fields');
    t.unique(['agent_id', 'key']);
  });

  // Delivery ledger: one row per (agent, seq) makes a batch delivered twice count once.
  await knex.schema.createTable('result_batches', (t) => {
    t.uuid('agent_id').notNullable().references('agents.id').onDelete('CASCADE');
    t.bigInteger('seq').notNullable();
    t.timestamp('sent_at', { useTz: true }).notNullable();
    t.timestamp('received_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.boolean('replayed').notNullable();
    t.integer('result_count').notNullable();
    t.primary(['agent_id', 'seq']);
  });

  // One row per round of a check. Measured fields vary by probe type, so they are JSON
  // rather than one wide table with every probe's columns (docs/decisions.md "One table of rounds").
  await knex.schema.createTable('check_results', (t) => {
    t.uuid('check_id').notNullable().references('checks.id').onDelete('CASCADE');
    t.timestamp('at', { useTz: true }).notNullable();
    t.text('status').notNullable();
    t.text('reason');
    t.jsonb('fields').notNullable();
    t.specificType('samples', 'real[]');
    t.boolean('replayed').notNullable();
    t.bigInteger('batch_seq').notNullable();
    t.primary(['check_id', 'at']);
  });

  await knex.raw('CREATE SEQUENCE ticket_number_seq START 1001');
  await knex.schema.createTable('tickets', (t) => {
    t.uuid('id').primary().defaultTo(knex.raw('gen_random_uuid()'));
    t.uuid('tenant_id').notNullable().references('tenants.id').onDelete('CASCADE');
    t.bigInteger('number')
      .notNullable()
      .unique()
      .defaultTo(knex.raw("nextval('ticket_number_seq')"));
    t.text('subject').notNullable();
    t.text('state').notNullable();
    t.text('priority').notNullable().defaultTo('normal');
    t.text('source').notNullable();
    t.uuid('branch_id').references('branches.id').onDelete('SET NULL');
    t.uuid('agent_id').references('agents.id').onDelete('SET NULL');
    t.uuid('check_id').references('checks.id').onDelete('SET NULL');
    /** tenant:branch:agent:check for alert tickets (docs/architecture.md: a stable incident fingerprint). */
    t.text('fingerprint');
    t.timestamp('opened_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('resolved_at', { useTz: true });
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
  });
  await knex.raw(
    `ALTER TABLE tickets ADD CONSTRAINT tickets_state_check CHECK (state IN
     ('open','in_progress','answered','waiting','on_hold','resolved','closed'))`,
  );
  // At most one active ticket per fingerprint, enforced by the database.
  await knex.raw(
    `CREATE UNIQUE INDEX tickets_one_active_per_fingerprint ON tickets (fingerprint)
     WHERE fingerprint IS NOT NULL AND state NOT IN ('resolved', 'closed')`,
  );

  await knex.schema.createTable('ticket_events', (t) => {
    t.bigIncrements('id');
    t.uuid('ticket_id').notNullable().references('tickets.id').onDelete('CASCADE');
    t.timestamp('at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.text('kind').notNullable();
    t.text('body');
    /** Null for events the hub made itself. */
    t.uuid('author_id').references('users.id').onDelete('SET NULL');
    t.index(['ticket_id', 'at']);
  });
}

export async function down(knex: Knex): Promise<void> {
  for (const table of [
    'ticket_events',
    'tickets',
    'check_results',
    'result_batches',
    'checks',
    'sessions',
    'users',
    'agents',
    'branches',
    'tenants',
  ]) {
    await knex.schema.dropTableIfExists(table);
  }
  await knex.raw('DROP SEQUENCE IF EXISTS ticket_number_seq');
}
