import type { Knex } from 'knex';

/**
 * Notifications (docs/notifications.md): tenant subscriptions (webhooks, Telegram groups, mail
 * lists), per-user preferences, and the persistent outbox every delivery goes through.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('notify_subscriptions', (t) => {
    t.uuid('id').primary().defaultTo(knex.raw('gen_random_uuid()'));
    t.uuid('tenant_id').references('tenants.id').onDelete('CASCADE');
    /** webhook | email | telegram */
    t.text('channel').notNullable();
    /** URL, mail address or Telegram chat id. */
    t.text('address').notNullable();
    /** Webhooks: the HMAC key. */
    t.text('secret');
    /** Webhooks: json | slack | teams. */
    t.text('format').notNullable().defaultTo('json');
    t.text('language').notNullable().defaultTo('en');
    t.specificType('events', 'text[]').notNullable();
    t.boolean('enabled').notNullable().defaultTo(true);
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
  });
  await knex.schema.createTable('notify_preferences', (t) => {
    t.uuid('user_id').primary().references('users.id').onDelete('CASCADE');
    t.text('language').notNullable().defaultTo('en');
    t.text('email');
    t.text('telegram_chat_id');
    /** The Telegram user id whose bot commands act as this hub user. */
    t.bigInteger('telegram_user_id').unique();
    t.specificType('channels', 'text[]').notNullable().defaultTo('{}');
    t.specificType('events', 'text[]').notNullable().defaultTo('{}');
    /** HH:mm in time_zone; deliveries in between wait until the end. */
    t.text('quiet_start');
    t.text('quiet_end');
    t.text('time_zone').notNullable().defaultTo('UTC');
  });
  await knex.schema.createTable('notify_outbox', (t) => {
    t.bigIncrements('id');
    t.uuid('tenant_id').references('tenants.id').onDelete('CASCADE');
    t.text('channel').notNullable();
    t.text('address').notNullable();
    t.uuid('subscription_id').references('notify_subscriptions.id').onDelete('CASCADE');
    t.uuid('user_id').references('users.id').onDelete('CASCADE');
    t.text('event_type').notNullable();
    /** Once per source event and recipient. */
    t.text('dedupe_key').notNullable().unique();
    t.jsonb('message').notNullable();
    /** pending | sent | dead */
    t.text('status').notNullable().defaultTo('pending');
    t.integer('attempts').notNullable().defaultTo(0);
    t.timestamp('next_attempt_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.text('last_error');
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('sent_at', { useTz: true });
    t.index(['status', 'next_attempt_at']);
    t.index(['tenant_id', 'created_at']);
  });
  // The last ticket event announced per ticket: a later change announces only newer events.
  await knex.schema.createTable('notify_ticket_cursor', (t) => {
    t.uuid('ticket_id').primary().references('tickets.id').onDelete('CASCADE');
    t.bigInteger('last_event_id').notNullable();
  });
  // Mail to ticket: every Message-ID seen, so that replies thread and nothing is read twice.
  await knex.schema.createTable('notify_mail_messages', (t) => {
    t.text('message_id').primary();
    t.uuid('ticket_id').references('tickets.id').onDelete('CASCADE');
    /** ticket | reply | ignored: auto-reply, bounce, loop */
    t.text('outcome').notNullable();
    t.timestamp('received_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('notify_mail_messages');
  await knex.schema.dropTable('notify_ticket_cursor');
  await knex.schema.dropTable('notify_outbox');
  await knex.schema.dropTable('notify_preferences');
  await knex.schema.dropTable('notify_subscriptions');
}
