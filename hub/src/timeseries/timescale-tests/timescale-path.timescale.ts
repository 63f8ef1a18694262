import type { MqttClient } from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { topics, type ProbeResult } from '@branchwatch/contract';
import { batch, icmpResult } from '../../../../test/support/batches.js';
import { connectAgent, publish, startTestHub, type TestHub } from '../../../../test/support/hub.js';
import { createTimescaleDatabase } from '../../../../test/support/timescale.js';
import { connectDatabase, type Database } from '../../db/database.js';
import { createLogger } from '../../core/logger.js';
import { addDays, utcDay } from '../../db/time-partitions.js';
import { TimeseriesRepository } from '../timeseries.repository.js';
import { TimeseriesService } from '../timeseries.service.js';

/**
 * The TimescaleDB path against a real TimescaleDB (`pnpm test:timescale`, docs/timescaledb.md):
 * a hub started on a server with the extension makes a compressed hypertable, continuous
 * aggregates for the rollups and the extension's policies, and they give the rollups the
 * plain path's tests expect, compressed chunks and late rounds included.
 */

let t: TestHub;
let tsdb: Awaited<ReturnType<typeof createTimescaleDatabase>>;
let db: Database;
let agent: MqttClient;
let jobs: TimeseriesService;
let seq = 1;
const address = { tenant: 'default', branch: 'hq', agent: 'srv-01' };

// Five days ago at 10:00 UTC: inside retention, in a chunk old enough to compress.
const base = addDays(utcDay(new Date()), -5).getTime() + 10 * 3600_000;
const at = (minutes: number, seconds = 0) => new Date(base + minutes * 60_000 + seconds * 1000);

const send = (results: ProbeResult[]) =>
  publish(agent, topics.results(address), JSON.stringify(batch('srv-01', seq++, results)));

/**
 * Jobs and the table or aggregate each is for. Releases differ in what the jobs view names
 * for an aggregate (2.28: the aggregate; 2.17: its materialization hypertable).
 */
const JOBS = `
  SELECT j.job_id, j.proc_name AS proc, coalesce(c.view_name, j.hypertable_name) AS "table",
         j.config
  FROM timescaledb_information.jobs j
  LEFT JOIN timescaledb_information.continuous_aggregates c
    ON c.materialization_hypertable_name = j.hypertable_name
  WHERE j.hypertable_name IS NOT NULL`;

const jobOf = async (proc: string, table: string): Promise<number> => {
  const rows = await db.raw(`SELECT job_id FROM (${JOBS}) j WHERE proc = ? AND "table" = ?`, [
    proc,
    table,
  ]);
  return rows.rows[0].job_id as number;
};

/**
 * Runs a TimescaleDB procedure, again while a background job (a refresh policy, the hub's
 * rollup job) holds the same window: 2.28 fails at once with 55P03 instead of waiting.
 */
const call = async (sql: string, bindings: (string | number | Date)[]) => {
  for (let attempt = 1; ; attempt++) {
    try {
      return await db.raw(sql, bindings);
    } catch (err) {
      if ((err as { code?: string }).code !== '55P03' || attempt === 20) throw err;
      await new Promise((r) => setTimeout(r, 250));
    }
  }
};

beforeAll(async () => {
  tsdb = await createTimescaleDatabase();
  t = await startTestHub({ DATABASE_URL: tsdb.url, BW_RETENTION_DAYS: '30' });
  db = connectDatabase(tsdb.url);
  const issued = await t.api.createAgent('hq', 'srv-01');
  agent = await connectAgent(t.mqttUrl, issued.credentials);
  jobs = new TimeseriesService(
    new TimeseriesRepository(db),
    { retentionDays: 30, rollupIntervalSeconds: 3600 },
    createLogger('silent'),
  );
  await jobs.start();
});
afterAll(async () => {
  agent?.end(true);
  await jobs?.stop();
  await db?.destroy();
  await t?.stop();
  await tsdb?.drop();
});

const checkId = async () => (await db('checks').where({ key: 'gateway' }).first()).id as string;

describe('TimescaleDB path', () => {
  it('is chosen at start and set up with compression, aggregates and policies', async () => {
    expect(jobs.backend).toBe('timescaledb');
    const hypertable = await db.raw(
      `SELECT compression_enabled FROM timescaledb_information.hypertables
       WHERE hypertable_name = 'check_results'`,
    );
    expect(hypertable.rows).toEqual([{ compression_enabled: true }]);
    const settings = await db.raw(
      `SELECT segmentby, orderby FROM timescaledb_information.hypertable_compression_settings
       WHERE hypertable = 'check_results'::regclass`,
    );
    expect(settings.rows).toEqual([{ segmentby: 'check_id', orderby: 'at' }]);
    const caggs = await db.raw(
      `SELECT view_name, materialized_only FROM timescaledb_information.continuous_aggregates
       ORDER BY view_name`,
    );
    expect(caggs.rows).toEqual([
      { view_name: 'check_rollups_1d', materialized_only: false },
      { view_name: 'check_rollups_1h', materialized_only: false },
      { view_name: 'check_rollups_1m', materialized_only: false },
    ]);
    const policies = await db.raw(
      `SELECT proc, "table", config FROM (${JOBS}) j ORDER BY proc, "table"`,
    );
    const found = (policies.rows as { table: string; proc: string; config: object }[]).map((p) => [
      p.proc,
      p.table,
      p.config,
    ]);
    expect(found).toEqual([
      [
        'policy_compression',
        'check_results',
        expect.objectContaining({ compress_after: '3 days' }),
      ],
      ...['1d', '1h', '1m'].map((p) => [
        'policy_refresh_continuous_aggregate',
        `check_rollups_${p}`,
        expect.objectContaining({ start_offset: '30 days', end_offset: '00:01:00' }),
      ]),
      ['policy_retention', 'check_results', expect.objectContaining({ drop_after: '30 days' })],
      ['policy_retention', 'check_rollups_1h', expect.objectContaining({ drop_after: '400 days' })],
      ['policy_retention', 'check_rollups_1m', expect.objectContaining({ drop_after: '90 days' })],
    ]);
  });

  it('rolls rounds up per minute, hour and day with the median of the round medians', async () => {
    await send([icmpResult('gateway', at(0), 0, 10)]);
    await send([
      icmpResult('gateway', at(0, 20), 10, 20),
      icmpResult('gateway', at(0, 40), 20, 30),
      icmpResult('gateway', at(0, 50), 100),
    ]);
    await send([icmpResult('gateway', at(1), 0, 40)]);
    await send([icmpResult('gateway', at(60), 0, 100)]);
    const done = await jobs.rollup();
    expect(done).toEqual({ hours: 2, days: 1 });

    const id = await checkId();
    const rollup = (period: string, bucket: Date) =>
      db('check_rollups').where({ check_id: id, period, bucket }).first();
    const minute0 = await rollup('1m', at(0));
    expect(minute0).toMatchObject({ rounds: 4, failed: 1 });
    expect(minute0.stats.median).toEqual({ n: 3, min: 10, max: 30, mean: 20, median: 20 });
    expect(minute0.stats.loss).toMatchObject({ n: 4, mean: 32.5, median: 15, max: 100 });
    const hour0 = await rollup('1h', at(0));
    expect(hour0).toMatchObject({ rounds: 5, failed: 1 });
    expect(hour0.stats.median).toEqual({ n: 4, min: 10, max: 40, mean: 25, median: 25 });
    const day = await rollup('1d', utcDay(at(0)));
    expect(day).toMatchObject({ rounds: 6, failed: 1 });
    expect(day.stats.median).toMatchObject({ n: 5, median: 30, max: 100, mean: 40 });
  });

  it('takes late rounds into compressed chunks and their materialized buckets', async () => {
    const compression = await jobOf('policy_compression', 'check_results');
    await call('CALL run_job(?)', [compression]);
    const chunks = await db.raw(
      `SELECT is_compressed FROM timescaledb_information.chunks
       WHERE hypertable_name = 'check_results' AND range_start = ?`,
      [utcDay(at(0))],
    );
    expect(chunks.rows).toEqual([{ is_compressed: true }]);

    await send([icmpResult('gateway', at(1, 30), 0, 60)]);
    // Real-time aggregation does not cover materialized buckets: the rollup job refreshes them.
    expect(await jobs.rollup()).toEqual({ hours: 1, days: 1 });
    const minute1 = await db('check_rollups')
      .where({ check_id: await checkId(), period: '1m', bucket: at(1) })
      .first();
    expect(minute1.stats.median).toEqual({ n: 2, min: 40, max: 60, mean: 50, median: 50 });
  });

  it('answers series queries at the resolution that fits the range', async () => {
    const id = await checkId();
    const hourly = await t.api.get<{
      resolution: string;
      points: { t: string; rounds: number; stats: { median: { median: number } } }[];
      availability: { rounds: number; failed: number; percent: number };
    }>(
      `/api/v1/checks/${id}/series?from=${at(0).toISOString()}&to=${at(60 * 24 * 5).toISOString()}`,
    );
    expect(hourly.resolution).toBe('1h');
    expect(hourly.points.map((p) => [p.t, p.rounds, p.stats.median.median])).toEqual([
      [at(0).toISOString(), 6, 30],
      [at(60).toISOString(), 1, 100],
    ]);
    expect(hourly.availability).toEqual({ rounds: 7, failed: 1, percent: (6 / 7) * 100 });
  });

  it('drops rounds past retention by whole chunks and keeps their rollups', async () => {
    const id = await checkId();
    const old = new Date(addDays(utcDay(new Date()), -40).getTime() + 3600_000);
    // Ingest refuses rounds past retention; these are put in as if stored 40 days ago.
    await db('check_results').insert({
      check_id: id,
      at: old,
      status: 'ok',
      fields: JSON.stringify({ median: 7 }),
      replayed: false,
      batch_seq: 0,
    });
    await call(
      `CALL refresh_continuous_aggregate('check_rollups_1h', ?::timestamptz, ?::timestamptz)`,
      [old, new Date(old.getTime() + 3600_000)],
    );
    await call('CALL run_job(?)', [await jobOf('policy_retention', 'check_results')]);
    expect(await db('check_results').where('at', '<', addDays(old, 1)).count({ n: '*' })).toEqual([
      { n: 0 },
    ]);
    // The refresh policies' window ends at the retention: the hour rollup outlives its rounds.
    for (const name of ['check_rollups_1m', 'check_rollups_1h', 'check_rollups_1d']) {
      await call('CALL run_job(?)', [await jobOf('policy_refresh_continuous_aggregate', name)]);
    }
    const kept = await db('check_rollups').where({ check_id: id, period: '1h', bucket: old });
    expect(kept).toMatchObject([{ rounds: 1, stats: { median: { n: 1, median: 7 } } }]);
  });
});
