import type { Knex } from 'knex';

/**
 * Telegram accounts are linked by proof (docs/security.md "Telegram linking"): the hub shows a
 * one-time code, and the person sends it to the bot from their own Telegram account; the bot
 * then records that account's user id and private chat. Only the hash of a code is kept, for
 * ten minutes, under the row-level security of the other per-user tables (015).
 *
 * Links made before by typing ids into the preferences were never proven: anyone could claim
 * another person's Telegram id and have that person's commands act as them, or send their
 * own notifications to someone else's chat. They are dropped; people link again.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('telegram_link_codes', (t) => {
    t.text('code_hash').primary();
    t.uuid('user_id').notNullable().references('users.id').onDelete('CASCADE');
    t.timestamp('expires_at', { useTz: true }).notNullable();
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.index(['user_id']);
  });
  await knex.raw('ALTER TABLE telegram_link_codes ENABLE ROW LEVEL SECURITY');
  const visible = `EXISTS (SELECT 1 FROM users u WHERE u.id = telegram_link_codes.user_id
    AND bw_tenant_visible(u.tenant_id))`;
  await knex.raw(
    `CREATE POLICY tenant_isolation ON telegram_link_codes USING (${visible}) WITH CHECK (${visible})`,
  );
  await knex.schema.alterTable('notify_preferences', (t) => {
    t.timestamp('telegram_linked_at', { useTz: true });
  });
  await knex.raw(`UPDATE notify_preferences
    SET telegram_user_id = NULL, telegram_chat_id = NULL,
        channels = array_remove(channels, 'telegram')
    WHERE telegram_user_id IS NOT NULL OR telegram_chat_id IS NOT NULL`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('notify_preferences', (t) => t.dropColumn('telegram_linked_at'));
  await knex.schema.dropTable('telegram_link_codes');
}
