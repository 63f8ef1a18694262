import type { Knex } from 'knex';

/**
 * The queue of a user who sees every tenant (a platform admin) has no tenant to lead with, so
 * the indexes of 012 do not serve its sort orders and PostgreSQL sorted every active ticket for
 * each page (about 0.5 s at 1,000,000 tickets, docs/benchmarks.md "Web"). These partial copies
 * without the tenant let such a page be read in order, as 012 does per tenant.
 */
const PRIORITY = `(array_position(ARRAY['low','normal','high','urgent'], priority))`;
const ACTIVE = `WHERE state IN ('open','in_progress','answered','waiting','on_hold')`;
const INDEXES: Record<string, string> = {
  tickets_all_active_opened: `(opened_at, number) ${ACTIVE}`,
  tickets_all_active_updated: `(updated_at, number) ${ACTIVE}`,
  tickets_all_active_number: `(number) ${ACTIVE}`,
  tickets_all_active_priority: `(${PRIORITY}, number) ${ACTIVE}`,
  tickets_all_opened: '(opened_at, number)',
};

export async function up(knex: Knex): Promise<void> {
  for (const [name, columns] of Object.entries(INDEXES))
    await knex.raw(`CREATE INDEX IF NOT EXISTS ${name} ON tickets ${columns}`);
}

export async function down(knex: Knex): Promise<void> {
  for (const name of Object.keys(INDEXES)) await knex.raw(`DROP INDEX IF EXISTS ${name}`);
}
