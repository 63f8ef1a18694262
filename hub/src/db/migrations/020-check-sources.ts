import type { Knex } from 'knex';

/**
 * What the agent runs, as it reports it on its status topic: every check with its source (its
 * own file or the hub) and interval, the hub checks it refused and why, and its defaults. Per
 * check: the interval the agent runs it at, when it was first seen, and since when it has
 * missed its rounds (stale, docs/alerts.md "Stale checks").
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('agents', (t) => {
    t.jsonb('config_checks');
    t.jsonb('config_refused');
    t.jsonb('config_defaults');
  });
  await knex.schema.alterTable('checks', (t) => {
    t.specificType('reported_interval_seconds', 'real');
    t.boolean('replaces_file').notNullable().defaultTo(false);
    t.timestamp('active_since', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('stale_since', { useTz: true });
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('checks', (t) => {
    t.dropColumns('reported_interval_seconds', 'replaces_file', 'active_since', 'stale_since');
  });
  await knex.schema.alterTable('agents', (t) => {
    t.dropColumns('config_checks', 'config_refused', 'config_defaults');
  });
}
