import type { Knex } from 'knex';

/**
 * Indexes for the ticket queue (TicketRepository.list): one per sort order, led by the tenant,
 * so a page is read in order and stops after `offset + limit` matching rows instead of sorting
 * every matching ticket; `number` breaks ties as the query does. The priority expression is the
 * query's own, so the planner matches it. The active queue (about one ticket in eight, and most
 * queries) gets partial copies: the planner proves `state IN (…active…)` and any subset of it
 * implies their predicate, so a page of active tickets never walks past resolved ones.
 * Figures: docs/benchmarks.md "Ticket queue".
 */
const PRIORITY = `(array_position(ARRAY['low','normal','high','urgent'], priority))`;
const ACTIVE = `WHERE state IN ('open','in_progress','answered','waiting','on_hold')`;
const INDEXES: Record<string, string> = {
  tickets_tenant_opened: '(tenant_id, opened_at, number)',
  tickets_tenant_updated: '(tenant_id, updated_at, number)',
  tickets_tenant_number: '(tenant_id, number)',
  tickets_tenant_priority: `(tenant_id, ${PRIORITY}, number)`,
  tickets_branch_opened: '(branch_id, opened_at, number)',
  tickets_active_opened: `(tenant_id, opened_at, number) ${ACTIVE}`,
  tickets_active_updated: `(tenant_id, updated_at, number) ${ACTIVE}`,
  tickets_active_number: `(tenant_id, number) ${ACTIVE}`,
  tickets_active_priority: `(tenant_id, ${PRIORITY}, number) ${ACTIVE}`,
};

export async function up(knex: Knex): Promise<void> {
  for (const [name, columns] of Object.entries(INDEXES))
    await knex.raw(`CREATE INDEX IF NOT EXISTS ${name} ON tickets ${columns}`);
}

export async function down(knex: Knex): Promise<void> {
  for (const name of Object.keys(INDEXES)) await knex.raw(`DROP INDEX IF EXISTS ${name}`);
}
