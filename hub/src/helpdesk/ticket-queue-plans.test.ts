import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedFleet, seedTickets } from '../../../test/bench/web-seed.js';
import { createTestDatabase } from '../../../test/support/database.js';
import { connectDatabase, type Database } from '../db/database.js';
import { API_ROLE } from '../db/request-scope.js';
import { TICKET_SORTS, TicketRepository } from './ticket.repository.js';

/**
 * How PostgreSQL reads a page of the queue of someone who sees every tenant, as the API runs it
 * (as `bw_api`, row-level security on, no tenant set): in the order of the sort's own index
 * (migration 016), stopping after the page, rather than sorting every active ticket. The planner
 * takes the policies' filter to keep a quarter of the rows, and at PostgreSQL's default cost of
 * a page read out of order (4) it preferred the sort: 40–65 ms a page over 100,000 tickets
 * against 1.2–1.5 ms in order (docs/benchmarks.md, "The queue's plans"). The embedded server
 * sets that cost for a disk of its own (hub/src/db/embedded-postgres.ts); the tickets here are
 * seeded as the benchmarks seed them, opening times scattered over two years.
 */
let db: Database;

beforeAll(async () => {
  db = connectDatabase(await createTestDatabase());
  await seedFleet(db, 40, 2);
  await seedTickets(db, 100_000);
  await db.raw('ANALYZE tickets');
}, 300_000);
afterAll(() => db?.destroy());

interface PlanNode {
  'Node Type': string;
  'Index Name'?: string;
  Plans?: PlanNode[];
}

const nodes = (node: PlanNode): PlanNode[] => [node, ...(node.Plans ?? []).flatMap(nodes)];

async function planOf(sort: (typeof TICKET_SORTS)[number]): Promise<PlanNode[]> {
  const query = new TicketRepository(db)
    .list({ tenantId: null, state: 'active', sort, order: 'desc', limit: 25, offset: 475 })
    .toKnexQuery()
    .toSQL();
  return db.transaction(async (trx) => {
    await trx.raw(
      `SELECT set_config('role', ?, true), set_config('app.tenant_id', '', true),
              set_config('app.branch_ids', '', true)`,
      [API_ROLE],
    );
    const { rows } = await trx.raw(`EXPLAIN (FORMAT JSON) ${query.sql}`, [...query.bindings]);
    return nodes((rows[0]['QUERY PLAN'] as { Plan: PlanNode }[])[0]!.Plan);
  });
}

describe('the queue of every tenant', () => {
  it.each(TICKET_SORTS)('reads a page sorted by %s from its index in order', async (sort) => {
    const plan = await planOf(sort);
    expect(plan.map((n) => n['Node Type'])).not.toContain('Sort');
    const index =
      sort === 'number'
        ? 'tickets_all_active_number'
        : `tickets_all_active_${sort.replace('_at', '')}`;
    expect(plan.find((n) => n['Index Name'])?.['Index Name']).toBe(index);
  });
});
