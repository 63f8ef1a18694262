import type { Knex } from 'knex';

/**
 * Web push (docs/notifications.md "Push to the browser"): the hub's VAPID key pair (RFC 8292),
 * made once for the whole hub, its private half sealed like the other secrets the hub reads
 * back (identity/secret-box.ts); and the push subscriptions people's browsers hand over, one row
 * per browser (its endpoint) with the keys its messages are encrypted to (RFC 8291).
 * Subscriptions are isolated by tenant (010-rls); the API adds that a person reaches only their
 * own, as with the notification centre.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('push_vapid_keys', (t) => {
    // One row: the hub's key pair. Two hub processes starting at once insert the same id and
    // the second keeps the first's pair.
    t.smallint('id').primary();
    t.text('public_key').notNullable();
    t.text('private_key_sealed').notNullable();
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
  });
  await knex.raw('ALTER TABLE push_vapid_keys ADD CONSTRAINT push_vapid_keys_one CHECK (id = 1)');
  // Only the hub's own work reads the key pair, never an API request's role.
  await knex.raw(`
    DO $$ BEGIN
      IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'bw_api') THEN
        REVOKE ALL ON push_vapid_keys FROM bw_api;
      END IF;
    END $$`);

  await knex.schema.createTable('push_subscriptions', (t) => {
    t.uuid('id').primary().defaultTo(knex.raw('gen_random_uuid()'));
    t.uuid('tenant_id').references('tenants.id').onDelete('CASCADE');
    t.uuid('user_id').notNullable().references('users.id').onDelete('CASCADE');
    t.text('endpoint').notNullable().unique();
    t.text('p256dh').notNullable();
    t.text('auth').notNullable();
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.index(['user_id']);
  });
  await knex.raw('ALTER TABLE push_subscriptions ENABLE ROW LEVEL SECURITY');
  await knex.raw(
    `CREATE POLICY tenant_isolation ON push_subscriptions
       USING (bw_tenant_visible(tenant_id)) WITH CHECK (bw_tenant_visible(tenant_id))`,
  );
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('push_subscriptions');
  await knex.schema.dropTable('push_vapid_keys');
}
