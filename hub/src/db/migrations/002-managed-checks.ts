import type { Knex } from 'knex';

/**
 * Checks managed through the hub's API and handed to agents as their retained config
 * (docs/architecture.md "The contract": `config`, hub → agent).
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('checks', (t) => {
    /** True when the hub's API defines the check; false for checks from an agent's own file. */
    t.boolean('managed').notNullable().defaultTo(false);
    t.double('interval_seconds');
    t.double('timeout_seconds');
    t.jsonb('options');
    /** Set when removed from the agent's config; history stays. Cleared if results return. */
    t.timestamp('removed_at', { useTz: true });
  });
  await knex.schema.alterTable('agents', (t) => {
    /** Grows with every change to the agent's managed checks. 0: the hub never sent a config. */
    t.bigInteger('config_revision').notNullable().defaultTo(0);
    /** The revision the agent says it runs (null: its own file's checks). */
    t.bigInteger('config_applied_revision');
    t.text('config_error');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('agents', (t) => {
    t.dropColumns('config_revision', 'config_applied_revision', 'config_error');
  });
  await knex.schema.alterTable('checks', (t) => {
    t.dropColumns('managed', 'interval_seconds', 'timeout_seconds', 'options', 'removed_at');
  });
}
