/**
 * What `bench:web` (test/bench/web.ts) seeds, in SQL straight into the hub's database: a fleet
 * for the map, rollups for the chart, tickets for the queue.
 */
import type { BenchHub } from './hub-bench.js';
import {
  TICKET_CATEGORY_SQL,
  TICKET_PRIORITY_SQL,
  TICKET_SOURCE_SQL,
  TICKET_STATE_SQL,
  TICKET_WORDS_SQL,
} from './ticket-mix.js';

type Db = BenchHub['db'];

/** `branches` branches in `tenants` tenants (`bank-N`), one agent and three checks each. */
export async function seedFleet(db: Db, branches: number, tenants: number) {
  const t0 = performance.now();
  await db.raw(`
    INSERT INTO tenants (slug, name)
    SELECT 'bank-' || g, 'Bank ' || g FROM generate_series(1, ${tenants}) g
    ON CONFLICT DO NOTHING`);
  await db.raw(`
    WITH t AS (SELECT array_agg(id ORDER BY slug) ids FROM tenants WHERE slug LIKE 'bank-%')
    INSERT INTO branches (tenant_id, slug, name)
    SELECT t.ids[1 + g % ${tenants}], 'br-' || g, 'Branch ' || g
    FROM generate_series(1, ${branches}) g, t`);
  // 1 % of agents offline; their branches read failing.
  await db.raw(`
    INSERT INTO agents (tenant_id, branch_id, slug, name, username, password_hash, online,
                        last_seen_at)
    SELECT tenant_id, id, 'srv', 'srv-' || slug, 'bench.' || slug || '.srv', 'x',
           (hashtext(slug) % 100) <> 0, now()
    FROM branches WHERE slug LIKE 'br-%'`);
  await db.raw(`
    INSERT INTO checks (tenant_id, branch_id, agent_id, key, type, target, state, role,
                        last_result_at, last_status, last_fields)
    SELECT a.tenant_id, a.branch_id, a.id, c.key, c.type, c.target,
           CASE WHEN (hashtext(a.slug || a.branch_id::text || c.key) % 50) = 0
                THEN 'failing' ELSE 'ok' END,
           c.role, now(), 'ok', c.fields::jsonb
    FROM agents a
    CROSS JOIN (VALUES
      ('wan-ping', 'icmp', '8.8.8.8', 'wan', '{"median": 18.5, "loss": 0}'),
      ('sip', 'voice', '10.0.0.5:5060', NULL, '{"rttMean": 22.1, "loss": 0}'),
      ('camera-1', 'tcp', '10.0.0.20:554', NULL, '{"connect": 0.4}')
    ) AS c(key, type, target, role, fields)
    WHERE a.username LIKE 'bench.%'`);
  await db.raw('ANALYZE branches; ANALYZE agents; ANALYZE checks');
  const { rows } = await db.raw(`
    SELECT (SELECT count(*) FROM branches)::int branches, (SELECT count(*) FROM agents)::int agents,
           (SELECT count(*) FROM checks)::int checks,
           (SELECT count(*) FROM checks WHERE state = 'failing')::int failing`);
  return { seconds: (performance.now() - t0) / 1000, ...rows[0] };
}

/**
 * 30 days of hourly and 3 days of per-minute rollups for one WAN check (as the hub's rollup job
 * writes them: per field { n, min, max, mean, median }), for the chart figure.
 */
export async function seedRollups(db: Db): Promise<{ branchId: string; points: number }> {
  const { rows } = await db.raw(`
    SELECT c.id, c.branch_id FROM checks c JOIN branches b ON b.id = c.branch_id
    WHERE b.slug = 'br-1' AND c.key = 'wan-ping'`);
  const check = rows[0] as { id: string; branch_id: string };
  const stat = (mean: string, spread: string) =>
    `jsonb_build_object('n', 60, 'min', ${mean} - ${spread}, 'max', ${mean} + 3 * ${spread},
      'mean', ${mean}, 'median', ${mean})`;
  for (const [period, step, count] of [
    ['1h', '1 hour', 30 * 24],
    ['1m', '1 minute', 3 * 24 * 60],
  ] as const) {
    await db.raw(
      `INSERT INTO check_rollups (check_id, period, bucket, rounds, failed, stats)
       SELECT ?, ?, date_trunc('hour', now()) - g * interval '${step}', 60, 0,
              jsonb_build_object(
                'median', ${stat('20 + 5 * sin(g / 24.0)', '2')},
                'min', ${stat('18 + 5 * sin(g / 24.0)', '1')},
                'max', ${stat('30 + 5 * sin(g / 24.0)', '4')},
                'p95', ${stat('26 + 5 * sin(g / 24.0)', '3')},
                'loss', ${stat('CASE WHEN g % 97 = 0 THEN 10 ELSE 0 END', '0')},
                'jitter', ${stat('1.5', '0.5')})
       FROM generate_series(0, ${count - 1}) g`,
      [check.id, period],
    );
  }
  return { branchId: check.branch_id, points: 30 * 24 };
}

/** Tickets as test/bench/tickets.ts seeds them (same mixes), over the seeded branches. */
export async function seedTickets(db: Db, tickets: number) {
  const t0 = performance.now();
  await db.transaction(async (trx) => {
    // Triggers off (the search trigger reads ticket_events per row); the vector written here.
    await trx.raw('SET LOCAL session_replication_role = replica');
    await trx.raw(`
      WITH b AS (SELECT array_agg(id ORDER BY id) ids, array_agg(tenant_id ORDER BY id) tids,
                        count(*)::int n FROM branches),
           raw AS (
             SELECT g, b.ids[1 + (g::bigint * 7919 % b.n)::int] AS branch_id,
                    b.tids[1 + (g::bigint * 7919 % b.n)::int] AS tenant_id,
                    random() AS r_state, random() AS r_prio,
                    now() - random() * interval '730 days' AS opened_at, ${TICKET_WORDS_SQL} AS w
             FROM generate_series(1, ${tickets}) g, b)
      INSERT INTO tickets (tenant_id, subject, state, priority, source, branch_id, category,
                           opened_at, resolved_at, updated_at, search)
      SELECT raw.tenant_id, s.subject, s.state,
             ${TICKET_PRIORITY_SQL},
             ${TICKET_SOURCE_SQL},
             raw.branch_id,
             ${TICKET_CATEGORY_SQL},
             opened_at,
             CASE WHEN s.state IN ('resolved','closed')
                  THEN opened_at + random() * interval '72 hours' END,
             opened_at + random() * interval '96 hours',
             to_tsvector('simple', s.subject) || to_tsvector('english', s.subject)
      FROM raw
      CROSS JOIN LATERAL (SELECT
        w[1 + (g * 31) % array_length(w, 1)] || ' ' || w[1 + (g * 17 + 3) % array_length(w, 1)]
          || ' #' || g AS subject,
        ${TICKET_STATE_SQL} AS state) s`);
  });
  await db.raw('VACUUM ANALYZE tickets');
  const { rows } = await db.raw(
    `SELECT count(*)::int n,
            count(*) FILTER (WHERE state NOT IN ('resolved','closed'))::int active FROM tickets`,
  );
  return { seconds: (performance.now() - t0) / 1000, ...rows[0] };
}
