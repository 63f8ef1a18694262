import type { Knex } from 'knex';

/** What each agent last said about its spool: a branch link down for hours shows here. */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('agents', (t) => {
    t.integer('spool_pending_batches');
    t.bigInteger('spool_dropped_batches');
    t.bigInteger('spool_dropped_results');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('agents', (t) => {
    t.dropColumns('spool_pending_batches', 'spool_dropped_batches', 'spool_dropped_results');
  });
}
