/**
 * Ticket queue benchmark (`pnpm bench:tickets [-- --tickets 1000000 --queries 200]`), not part
 * of `pnpm test`. Seeds a fresh embedded PostgreSQL with tickets in SQL (generate_series, with
 * state, priority, branch, assignee, group, tag and subject distributions like a busy helpdesk,
 * and the full-text vector filled), then times the real TicketRepository.list — the query behind
 * GET /api/v1/tickets: filters + sort + page — over varied queries, and full-text searches.
 * Both run twice: without migration 012's indexes ("before") and with them ("after").
 * Goal: queue p95 under 50 ms at 1,000,000 tickets.
 */
import fs from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { connectDatabase, createLogger, migrate, startEmbeddedPostgres } from '@branchwatch/hub';
import * as ticketIndexes from '../../hub/src/db/migrations/012-ticket-indexes.js';
import {
  TICKET_SORTS,
  TicketRepository,
  type TicketFilter,
} from '../../hub/src/helpdesk/ticket.repository.js';
import {
  TICKET_CATEGORY_SQL,
  TICKET_PRIORITY_SQL,
  TICKET_SOURCE_SQL,
  TICKET_STATE_SQL,
  TICKET_WORDS,
  TICKET_WORDS_SQL,
} from './ticket-mix.js';
import { TICKET_PRIORITIES, TICKET_STATES } from '@branchwatch/api';

const { values: args } = parseArgs({
  args: process.argv.slice(2).filter((a) => a !== '--'),
  options: {
    tickets: { type: 'string', default: '1000000' },
    queries: { type: 'string', default: '200' },
    seed: { type: 'string', default: '42' },
  },
});
const TICKETS = Number(args.tickets);
const QUERIES = Number(args.queries);
const TENANTS = 4;
const BRANCHES = 200;
const PEOPLE = 120;
const GROUPS = 12;

const TAGS = ['vip', 'hardware', 'isp', 'recurring', 'onsite', 'vendor', 'security', 'billing'];

/** A small deterministic PRNG (mulberry32), so "varied queries" are the same every run. */
function prng(seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const random = prng(Number(args.seed));
const pick = <T>(list: readonly T[]) => list[Math.floor(random() * list.length)]!;

async function seed(db: ReturnType<typeof connectDatabase>) {
  const t0 = performance.now();
  await db.raw(`
    INSERT INTO tenants (slug, name)
    SELECT 'tenant-' || g, 'Tenant ' || g FROM generate_series(1, ${TENANTS}) g
    ON CONFLICT DO NOTHING`);
  // Tenant 1 is the big one (60 % of branches), like a bank with many branches.
  await db.raw(`
    WITH t AS (SELECT array_agg(id ORDER BY slug) ids FROM tenants WHERE slug LIKE 'tenant-%')
    INSERT INTO branches (tenant_id, slug, name)
    SELECT t.ids[CASE WHEN g <= ${BRANCHES * 0.6} THEN 1 ELSE 2 + g % ${TENANTS - 1} END],
           'b-' || g, 'Branch ' || g
    FROM generate_series(1, ${BRANCHES}) g, t`);
  await db.raw(`
    WITH t AS (SELECT array_agg(id ORDER BY slug) ids FROM tenants WHERE slug LIKE 'tenant-%')
    INSERT INTO users (username, role, tenant_id, password_hash)
    SELECT 'agent-' || g, 'support_agent', t.ids[1 + g % ${TENANTS}], 'x'
    FROM generate_series(1, ${PEOPLE}) g, t`);
  await db.raw(`
    WITH t AS (SELECT array_agg(id ORDER BY slug) ids FROM tenants WHERE slug LIKE 'tenant-%')
    INSERT INTO support_groups (tenant_id, name)
    SELECT t.ids[1 + g % ${TENANTS}], 'group-' || g FROM generate_series(1, ${GROUPS}) g, t`);
  // Triggers off while seeding (the search trigger reads ticket_events per row); the vector is
  // written here exactly as ticket_search_vector() would for a ticket without conversation.
  await db.transaction(async (trx) => {
    await trx.raw('SET LOCAL session_replication_role = replica');
    await trx.raw(`
      WITH b AS (SELECT array_agg(id ORDER BY id) ids, array_agg(tenant_id ORDER BY id) tids
                 FROM branches),
           u AS (SELECT tenant_id, array_agg(id ORDER BY id) ids FROM users
                 WHERE tenant_id IS NOT NULL GROUP BY tenant_id),
           gr AS (SELECT tenant_id, array_agg(id ORDER BY id) ids FROM support_groups
                  GROUP BY tenant_id),
           raw AS (
             SELECT g, b.ids[1 + (g::bigint * 7919 % ${BRANCHES})::int] AS branch_id,
                    b.tids[1 + (g::bigint * 7919 % ${BRANCHES})::int] AS tenant_id,
                    random() AS r_state, random() AS r_prio, random() AS r_assign,
                    now() - random() * interval '730 days' AS opened_at,
                    ${TICKET_WORDS_SQL} AS w
             FROM generate_series(1, ${TICKETS}) g, b)
      INSERT INTO tickets (tenant_id, subject, state, priority, source, branch_id, assignee_id,
                           group_id, category, opened_at, resolved_at, updated_at, search)
      SELECT raw.tenant_id, s.subject,
             s.state,
             ${TICKET_PRIORITY_SQL},
             ${TICKET_SOURCE_SQL},
             raw.branch_id,
             CASE WHEN r_assign < 0.8 THEN u.ids[1 + (g % array_length(u.ids, 1))] END,
             CASE WHEN r_assign < 0.9 THEN gr.ids[1 + (g % array_length(gr.ids, 1))] END,
             ${TICKET_CATEGORY_SQL},
             opened_at,
             CASE WHEN s.state IN ('resolved','closed')
                  THEN opened_at + random() * interval '72 hours' END,
             opened_at + random() * interval '96 hours',
             to_tsvector('simple', s.subject) || to_tsvector('english', s.subject)
      FROM raw
      JOIN u ON u.tenant_id = raw.tenant_id
      JOIN gr ON gr.tenant_id = raw.tenant_id
      CROSS JOIN LATERAL (SELECT
        w[1 + (g * 31) % array_length(w, 1)] || ' ' || w[1 + (g * 17 + 3) % array_length(w, 1)]
          || ' ' || w[1 + floor(r_prio * array_length(w, 1))::int] || ' #' || g AS subject,
        ${TICKET_STATE_SQL} AS state) s`);
    await trx.raw(`
      INSERT INTO ticket_tags (ticket_id, tag)
      SELECT id, (ARRAY[${TAGS.map((t) => `'${t}'`).join(',')}])[1 + number % ${TAGS.length}]
      FROM tickets WHERE number % 4 = 0`);
  });
  await db.raw('VACUUM ANALYZE tickets');
  await db.raw('VACUUM ANALYZE ticket_tags');
  return (performance.now() - t0) / 1000;
}

interface Ids {
  tenants: { id: string; weight: number }[];
  branches: Map<string, string[]>;
  people: Map<string, string[]>;
  groups: Map<string, string[]>;
}

async function ids(db: ReturnType<typeof connectDatabase>): Promise<Ids> {
  const byTenant = async (table: string) => {
    const rows: { id: string; tenant_id: string }[] = await db(table)
      .whereNotNull('tenant_id')
      .select('id', 'tenant_id');
    const map = new Map<string, string[]>();
    for (const r of rows) map.set(r.tenant_id, [...(map.get(r.tenant_id) ?? []), r.id]);
    return map;
  };
  const branches = await byTenant('branches');
  const tenants = [...branches].map(([id, list]) => ({ id, weight: list.length }));
  return {
    tenants,
    branches,
    people: await byTenant('users'),
    groups: await byTenant('support_groups'),
  };
}

/** A queue query a person would make: mostly the active queue, sometimes narrowed. */
function queueQuery(ids: Ids): TicketFilter {
  const total = ids.tenants.reduce((s, t) => s + t.weight, 0);
  let r = random() * total;
  const tenant = ids.tenants.find((t) => (r -= t.weight) < 0) ?? ids.tenants[0]!;
  const f: TicketFilter = {
    tenantId: tenant.id,
    limit: pick([25, 50, 100]),
    offset: random() < 0.8 ? 0 : pick([50, 100, 200, 500]),
    sort: pick(TICKET_SORTS),
    order: random() < 0.85 ? 'desc' : 'asc',
  };
  const s = random();
  f.state =
    s < 0.6
      ? 'active'
      : s < 0.75
        ? [pick(TICKET_STATES)]
        : s < 0.85
          ? ['open', 'waiting']
          : undefined;
  if (random() < 0.2) f.priority = random() < 0.5 ? ['urgent', 'high'] : [pick(TICKET_PRIORITIES)];
  if (random() < 0.25) f.assigneeId = pick(ids.people.get(tenant.id)!);
  else if (random() < 0.2) f.groupId = pick(ids.groups.get(tenant.id)!);
  if (random() < 0.2) f.branchId = pick(ids.branches.get(tenant.id)!);
  if (random() < 0.1) f.tag = pick(TAGS);
  if (random() < 0.1) f.openedFrom = new Date(Date.now() - pick([7, 30, 90]) * 86_400_000);
  return f;
}

function searchQuery(ids: Ids): TicketFilter {
  const tenant = pick(ids.tenants);
  return {
    tenantId: tenant.id,
    text: random() < 0.7 ? pick(TICKET_WORDS) : `${pick(TICKET_WORDS)} ${pick(TICKET_WORDS)}`,
    state: random() < 0.5 ? 'active' : undefined,
    sort: 'opened_at',
    order: 'desc',
    limit: 50,
    offset: 0,
  };
}

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;

async function time(repo: TicketRepository, filters: TicketFilter[]) {
  for (const f of filters.slice(0, 10)) await repo.list(f); // warm the cache and the pool
  const timed: { ms: number; filter: TicketFilter }[] = [];
  for (const filter of filters) {
    const t0 = performance.now();
    await repo.list(filter);
    timed.push({ ms: performance.now() - t0, filter });
  }
  timed.sort((a, b) => a.ms - b.ms);
  const ms = timed.map((t) => t.ms);
  return {
    p50: percentile(ms, 50),
    p95: percentile(ms, 95),
    max: ms.at(-1)!,
    slowest: timed.slice(-5).reverse(),
  };
}

const fmt = (r: { p50: number; p95: number; max: number }) =>
  `p50 ${r.p50.toFixed(1)} ms, p95 ${r.p95.toFixed(1)} ms, max ${r.max.toFixed(1)} ms`;

async function main() {
  const work = await mkdtemp(path.join(tmpdir(), 'bw-bench-tickets-'));
  fs.chmodSync(work, 0o755);
  const pg = await startEmbeddedPostgres(path.join(work, 'pg'), createLogger('warn'));
  const db = connectDatabase(pg.url, { min: 1, max: 2 });
  try {
    await migrate(db);
    console.log(`seeding ${TICKETS.toLocaleString('en')} tickets…`);
    const seconds = await seed(db);
    const { rows } = await db.raw(
      `SELECT count(*)::int n, count(*) FILTER (WHERE state NOT IN ('resolved','closed'))::int active,
              pg_size_pretty(pg_total_relation_size('tickets')) size FROM tickets`,
    );
    console.log(
      `seeded in ${seconds.toFixed(0)} s: ${rows[0].n} tickets, ${rows[0].active} active, ${rows[0].size}`,
    );
    const known = await ids(db);
    const queue = Array.from({ length: QUERIES }, () => queueQuery(known));
    const search = Array.from({ length: QUERIES }, () => searchQuery(known));
    const repo = new TicketRepository(db);

    await ticketIndexes.down(db);
    await db.raw('ANALYZE tickets');
    const before = { queue: await time(repo, queue), search: await time(repo, search) };
    await ticketIndexes.up(db);
    await db.raw('ANALYZE tickets');
    const after = { queue: await time(repo, queue), search: await time(repo, search) };

    console.log(`\nTicket queue (${QUERIES} varied queries, TicketRepository.list)`);
    console.log(`  before 012: ${fmt(before.queue)}`);
    console.log(`  after 012:  ${fmt(after.queue)}   goal: p95 < 50 ms`);
    console.log(`Full-text search (${QUERIES} queries, 'simple' + 'english' configs, page of 50)`);
    console.log(`  before 012: ${fmt(before.search)}`);
    console.log(`  after 012:  ${fmt(after.search)}`);
    const show = ({ ms, filter }: { ms: number; filter: TicketFilter }) =>
      `  ${ms.toFixed(1)} ms ${JSON.stringify({ ...filter, tenantId: undefined })}`;
    console.log('slowest queue queries after 012:');
    for (const s of after.queue.slowest) console.log(show(s));
    console.log('slowest searches after 012:');
    for (const s of after.search.slowest) console.log(show(s));
  } finally {
    await db.destroy();
    await pg.stop();
    await rm(work, { recursive: true, force: true });
  }
}

await main();
