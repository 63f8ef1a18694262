import type { Knex } from 'knex';

/**
 * Attachments' content moves into PostgreSQL (docs/decisions.md "Attachments in the
 * database"), so that every hub process of a scale-out reaches every file. A file is split into
 * chunks of at most 256 KiB, one row each, numbered from 0; a chunk goes with its attachment.
 * Files an older hub kept under BW_DATA_DIR/attachments are moved in by the hub at its next
 * start (helpdesk/attachment-import.ts), which the migration cannot do: it does not know the
 * data folder.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('ticket_attachment_chunks', (t) => {
    t.uuid('attachment_id').notNullable().references('ticket_attachments.id').onDelete('CASCADE');
    t.integer('seq').notNullable();
    t.binary('data').notNullable();
    t.primary(['attachment_id', 'seq']);
  });
  // Most attachments (images, pcaps in zip) are compressed already: skip pglz's attempt,
  // still stored out of line in TOAST.
  await knex.raw('ALTER TABLE ticket_attachment_chunks ALTER COLUMN data SET STORAGE EXTERNAL');
  // Visible when its attachment is, as the other child tables of tickets (010-rls.ts).
  await knex.raw('ALTER TABLE ticket_attachment_chunks ENABLE ROW LEVEL SECURITY');
  const visible = `EXISTS (SELECT 1 FROM ticket_attachments a
    WHERE a.id = ticket_attachment_chunks.attachment_id)`;
  await knex.raw(
    `CREATE POLICY tenant_isolation ON ticket_attachment_chunks USING (${visible}) WITH CHECK (${visible})`,
  );
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('ticket_attachment_chunks');
}
