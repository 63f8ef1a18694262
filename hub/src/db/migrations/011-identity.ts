import type { Knex } from 'knex';

/**
 * Identity and audit: lockout and two-factor state on users, recovery codes, login
 * tickets between the password and the second factor, API tokens, listable sessions and the
 * hash-chained audit log.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('users', (t) => {
    t.integer('failed_logins').notNullable().defaultTo(0);
    t.timestamp('locked_until', { useTz: true });
    /** Base32 TOTP secret (RFC 6238); set once confirmed. */
    t.text('totp_secret');
    /** A secret shown at enrolment, not yet confirmed with a code. */
    t.text('totp_pending_secret');
    /** The last accepted time step: RFC 6238 §5.2, a code is accepted once. */
    t.bigInteger('totp_last_step');
  });

  await knex.schema.createTable('recovery_codes', (t) => {
    t.uuid('user_id').notNullable().references('users.id').onDelete('CASCADE');
    /** SHA-256 of the code: the codes are random, so a fast hash is enough. */
    t.text('code_hash').notNullable();
    t.timestamp('used_at', { useTz: true });
    t.primary(['user_id', 'code_hash']);
  });

  await knex.schema.createTable('login_tickets', (t) => {
    t.text('ticket_hash').primary();
    t.uuid('user_id').notNullable().references('users.id').onDelete('CASCADE');
    /** 'mfa': the password was right, a code is due; 'enrol': the role requires 2FA first. */
    t.text('purpose').notNullable();
    t.integer('attempts').notNullable().defaultTo(0);
    t.timestamp('expires_at', { useTz: true }).notNullable();
  });

  await knex.schema.alterTable('sessions', (t) => {
    /** A handle to list and revoke a session by, never the token itself. */
    t.uuid('id').notNullable().unique().defaultTo(knex.raw('gen_random_uuid()'));
    t.timestamp('last_seen_at', { useTz: true });
    t.text('ip');
    t.text('user_agent');
    t.index(['user_id']);
  });

  await knex.schema.createTable('api_tokens', (t) => {
    t.uuid('id').primary().defaultTo(knex.raw('gen_random_uuid()'));
    t.uuid('user_id').notNullable().references('users.id').onDelete('CASCADE');
    t.text('name').notNullable();
    t.text('token_hash').notNullable().unique();
    t.specificType('scopes', 'text[]').notNullable();
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('expires_at', { useTz: true });
    t.timestamp('last_used_at', { useTz: true });
    t.timestamp('revoked_at', { useTz: true });
    t.index(['user_id']);
  });

  await knex.schema.createTable('audit_log', (t) => {
    t.bigIncrements('seq').primary();
    t.timestamp('at', { useTz: true }).notNullable();
    t.uuid('actor_id');
    t.text('actor');
    t.text('action').notNullable();
    t.text('target');
    t.uuid('tenant_id');
    t.text('ip');
    t.jsonb('details').notNullable();
    t.text('prev_hash').notNullable();
    /** sha256(prev_hash + canonical JSON of the entry): see identity/audit/audit-chain.ts. */
    t.text('hash').notNullable();
    t.index(['at']);
  });

  // API requests may run as the row-level-security role of 010-rls.ts; it reads and appends
  // to the audit log but can neither change nor delete an entry.
  await knex.raw(`
    DO $$ BEGIN
      IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'bw_api') THEN
        GRANT SELECT, INSERT, UPDATE, DELETE ON api_tokens, login_tickets, recovery_codes TO bw_api;
        GRANT SELECT, INSERT ON audit_log TO bw_api;
        GRANT USAGE, SELECT ON SEQUENCE audit_log_seq_seq TO bw_api;
      END IF;
    END $$`);
}

export async function down(knex: Knex): Promise<void> {
  for (const table of ['audit_log', 'api_tokens', 'login_tickets', 'recovery_codes']) {
    await knex.schema.dropTableIfExists(table);
  }
  await knex.schema.alterTable('sessions', (t) => {
    t.dropColumns('id', 'last_seen_at', 'ip', 'user_agent');
  });
  await knex.schema.alterTable('users', (t) => {
    t.dropColumns(
      'failed_logins',
      'locked_until',
      'totp_secret',
      'totp_pending_secret',
      'totp_last_step',
    );
  });
}
