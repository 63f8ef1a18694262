import type { Knex } from 'knex';

/**
 * A reply's client key (the `Idempotency-Key` header, docs/requesters.md "Offline"): a portal
 * reply written offline is sent again until an answer comes back, with the same key each time;
 * the unique index makes the second arrival find the first instead of storing it twice, even
 * when both arrive at once on two hub processes.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('ticket_events', (t) => {
    t.text('client_key');
  });
  await knex.raw(
    `CREATE UNIQUE INDEX ticket_events_client_key ON ticket_events (ticket_id, author_id, client_key)
     WHERE client_key IS NOT NULL`,
  );
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('DROP INDEX IF EXISTS ticket_events_client_key');
  await knex.schema.alterTable('ticket_events', (t) => {
    t.dropColumn('client_key');
  });
}
