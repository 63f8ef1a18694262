import type { Knex } from 'knex';

/**
 * An external broker (Mosquitto) authenticates agents itself, from a password file the hub
 * writes (`pnpm hub:mosquitto-auth`). The hub keeps only scrypt hashes of agent passwords, which
 * Mosquitto cannot read, so each agent also gets the hash in Mosquitto's format, made from the
 * same password when it is issued. Agents issued before this have none and must be issued again
 * to use an external broker.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('agents', (t) => {
    t.text('broker_password_hash');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('agents', (t) => {
    t.dropColumn('broker_password_hash');
  });
}
