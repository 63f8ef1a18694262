import type { Knex } from 'knex';

/**
 * An attachment's client key (the `Idempotency-Key` header, docs/requesters.md "Offline"): a
 * photo taken offline waits in the portal with its reply and is sent again until an answer
 * comes back, with the same key each time; the unique index makes the second arrival find the
 * first instead of storing the photo twice, as 034-reply-keys does for the reply's text.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('ticket_attachments', (t) => {
    t.text('client_key');
  });
  await knex.raw(
    `CREATE UNIQUE INDEX ticket_attachments_client_key
       ON ticket_attachments (ticket_id, author_id, client_key) WHERE client_key IS NOT NULL`,
  );
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('DROP INDEX IF EXISTS ticket_attachments_client_key');
  await knex.schema.alterTable('ticket_attachments', (t) => {
    t.dropColumn('client_key');
  });
}
