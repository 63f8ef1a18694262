import type { Knex } from 'knex';

/**
 * Row-level security for the identity tables (011) and the notification tables (013), with
 * the policies and helper functions of 010-rls.ts.
 *
 * As in 010, the policies bind API requests only (role bw_api with app.tenant_id set; no
 * tenant set means a global admin, who sees every row). The hub's background work — login
 * before a tenant is known, the session guard, the notify outbox worker, dispatcher, digest,
 * Telegram bot and mail intake — runs as the connecting role, which owns the tables, so these
 * policies do not filter it.
 *
 * Left out on purpose: audit_log is one hash chain across tenants; appending reads the chain's
 * head, which a tenant-filtered view would fork. Only global admins read it, and bw_api may
 * only SELECT and INSERT it (011).
 */

/** A user's row is visible: the user belongs to the request's tenant (global users do not). */
const USER_VISIBLE = (table: string) =>
  `EXISTS (SELECT 1 FROM users u WHERE u.id = ${table}.user_id AND bw_tenant_visible(u.tenant_id))`;

/** Rows owned by a user: sessions, tokens, second-factor state, notification preferences. */
const USER_TABLES = [
  'sessions',
  'api_tokens',
  'recovery_codes',
  'login_tickets',
  'notify_preferences',
];

/**
 * Rows with a nullable tenant_id: a tenant sees its own; rows without a tenant (a global
 * admin's subscriptions, deliveries to global users) only users without a tenant see.
 */
const TENANT_TABLES = ['notify_subscriptions', 'notify_outbox'];

/** Rows of a ticket: visible when the ticket is (its own policy applies in the subquery). */
const TICKET_TABLES = ['notify_ticket_cursor', 'notify_mail_messages'];

const TABLES = [...USER_TABLES, ...TENANT_TABLES, ...TICKET_TABLES];

export async function up(knex: Knex): Promise<void> {
  for (const table of USER_TABLES) await isolate(knex, table, USER_VISIBLE(table));
  for (const table of TENANT_TABLES) await isolate(knex, table, 'bw_tenant_visible(tenant_id)');
  for (const table of TICKET_TABLES) {
    // Mail that opened no ticket (ignored auto-replies, bounces) has none: global users only.
    // bw_tenant_visible(NULL) is true only when the request set no tenant.
    await isolate(
      knex,
      table,
      `CASE WHEN ${table}.ticket_id IS NULL THEN coalesce(bw_tenant_visible(NULL), false)
        ELSE EXISTS (SELECT 1 FROM tickets p WHERE p.id = ${table}.ticket_id) END`,
    );
  }
}

async function isolate(knex: Knex, table: string, predicate: string): Promise<void> {
  await knex.raw(`ALTER TABLE ${table} ENABLE ROW LEVEL SECURITY`);
  await knex.raw(
    `CREATE POLICY tenant_isolation ON ${table} USING (${predicate}) WITH CHECK (${predicate})`,
  );
}

export async function down(knex: Knex): Promise<void> {
  for (const table of TABLES) {
    await knex.raw(`DROP POLICY IF EXISTS tenant_isolation ON ${table}`);
    await knex.raw(`ALTER TABLE ${table} DISABLE ROW LEVEL SECURITY`);
  }
}
