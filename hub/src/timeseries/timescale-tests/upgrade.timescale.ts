import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTimescaleDatabase } from '../../../../test/support/timescale.js';
import { connectDatabase, migrate, type Database } from '../../db/database.js';
import { migrationSource } from '../../db/migrations/index.js';
import { createLogger } from '../../core/logger.js';
import { addDays, utcDay } from '../../db/time-partitions.js';
import { TimeseriesRepository } from '../timeseries.repository.js';
import { TimeseriesService } from '../timeseries.service.js';

/**
 * A TimescaleDB database an older hub made (migrations up to 013: a hypertable, and rollups
 * the hub computed itself) taken to the continuous aggregates by migration 014: the rollups
 * whose rounds are gone stay, the ones the aggregates make again are not counted twice.
 */

let tsdb: Awaited<ReturnType<typeof createTimescaleDatabase>>;
let db: Database;
let checkId = '';
const today = utcDay(new Date());
const longAgo = addDays(today, -100);
const recent = new Date(addDays(today, -3).getTime() + 10 * 3600_000);
const recentHour = new Date(Math.floor(recent.getTime() / 3600_000) * 3600_000);

async function migrateUpTo(name: string) {
  for (let step = 0; step < 50; step++) {
    const [done] = (await db.migrate.list({ migrationSource })) as [{ name: string }[]];
    if (done.some((m) => m.name === name)) return;
    await db.migrate.up({ migrationSource });
  }
  throw new Error(`migration ${name} never ran`);
}

beforeAll(async () => {
  tsdb = await createTimescaleDatabase();
  db = connectDatabase(tsdb.url);
  await migrateUpTo('013-notify');
  const [tenant] = await db('tenants').insert({ slug: 'old', name: 'Old' }).returning('id');
  const [branch] = await db('branches')
    .insert({ tenant_id: tenant.id, slug: 'hq', name: 'HQ' })
    .returning('id');
  const [agent] = await db('agents')
    .insert({
      tenant_id: tenant.id,
      branch_id: branch.id,
      slug: 'srv',
      name: 'srv',
      username: 'old-srv',
      password_hash: 'x',
    })
    .returning('id');
  const [check] = await db('checks')
    .insert({
      tenant_id: tenant.id,
      branch_id: branch.id,
      agent_id: agent.id,
      key: 'gateway',
      type: 'icmp',
      target: '192.0.2.1',
    })
    .returning('id');
  checkId = check.id;
  await db('check_results').insert({
    check_id: checkId,
    at: recent,
    status: 'ok',
    fields: JSON.stringify({ median: 12 }),
    replayed: false,
    batch_seq: 1,
  });
  const stats = (median: number) =>
    JSON.stringify({ median: { n: 1, min: median, max: median, mean: median, median } });
  await db('check_rollups').insert([
    // Rounds long gone: only these rows know them.
    { check_id: checkId, period: '1h', bucket: longAgo, rounds: 12, failed: 1, stats: stats(30) },
    { check_id: checkId, period: '1d', bucket: longAgo, rounds: 288, failed: 3, stats: stats(31) },
    // The stored round's own hour and day: the aggregates make these again.
    {
      check_id: checkId,
      period: '1h',
      bucket: recentHour,
      rounds: 1,
      failed: 0,
      stats: stats(12),
    },
    {
      check_id: checkId,
      period: '1d',
      bucket: utcDay(recent),
      rounds: 1,
      failed: 0,
      stats: stats(12),
    },
  ]);
  await migrate(db);
});
afterAll(async () => {
  await db?.destroy();
  await tsdb?.drop();
});

describe('migration 014 on a TimescaleDB database an older hub made', () => {
  it('keeps the rollups past the stored rounds and takes the rest from the aggregates', async () => {
    const rows = await db('check_rollups')
      .where({ check_id: checkId })
      .orderBy(['period', 'bucket'])
      .select('period', 'bucket', 'rounds', 'failed');
    expect(rows).toEqual([
      { period: '1d', bucket: longAgo, rounds: 288, failed: 3 },
      { period: '1d', bucket: utcDay(recent), rounds: 1, failed: 0 },
      { period: '1h', bucket: longAgo, rounds: 12, failed: 1 },
      {
        period: '1h',
        bucket: recentHour,
        rounds: 1,
        failed: 0,
      },
      {
        period: '1m',
        bucket: new Date(Math.floor(recent.getTime() / 60_000) * 60_000),
        rounds: 1,
        failed: 0,
      },
    ]);
    expect(await db('check_rollups_archive').count({ n: '*' })).toEqual([{ n: 2 }]);
  });

  it('lets the kept rollups go at the rollup retention', async () => {
    const jobs = new TimeseriesService(
      new TimeseriesRepository(db),
      { retentionDays: 30, rollupIntervalSeconds: 3600 },
      createLogger('silent'),
    );
    await jobs.start();
    await jobs.stop();
    expect(await db('check_rollups_archive').count({ n: '*' })).toEqual([{ n: 2 }]);
    // 301 days on, the hour row is 401 days old (hours are kept 400); days are kept for good.
    await jobs.maintain(addDays(new Date(), 301));
    const kept = await db('check_rollups_archive').select('period', 'bucket');
    expect(kept).toEqual([{ period: '1d', bucket: longAgo }]);
  });

  it('goes back to the hub-made table, aggregates included, and row-level security', async () => {
    await db.migrate.down({ migrationSource, name: '014-timescale-rollups' });
    const table = await db.raw(
      `SELECT relname, relkind, relrowsecurity FROM pg_class WHERE relname = ANY(?) ORDER BY 1`,
      [['check_rollups', 'check_results']],
    );
    expect(table.rows).toEqual([
      { relname: 'check_results', relkind: 'r', relrowsecurity: true },
      { relname: 'check_rollups', relkind: 'r', relrowsecurity: false },
    ]);
    const rows = await db('check_rollups')
      .where({ check_id: checkId })
      .orderBy(['period', 'bucket'])
      .select('period', 'bucket', 'rounds');
    // The hour long ago went at the rollup retention (above); the rest came from the aggregates.
    expect(rows.map((r: { period: string }) => r.period)).toEqual(['1d', '1d', '1h', '1m']);
    await migrate(db);
    expect(await db('check_rollups').where({ check_id: checkId }).count({ n: '*' })).toEqual([
      { n: 4 },
    ]);
  });
});
