import type { MqttClient } from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { topics, type ProbeResult } from '@branchwatch/contract';
import { batch } from '../../../test/support/batches.js';
import { connectAgent, publish, startTestHub, type TestHub } from '../../../test/support/hub.js';
import { metric } from '../../../test/support/metrics.js';
import { connectDatabase, type Database } from '../db/database.js';
import { createLogger } from '../core/logger.js';
import { addDays, partitionName, utcDay } from '../db/time-partitions.js';
import { TimeseriesRepository } from './timeseries.repository.js';
import { TimeseriesService } from './timeseries.service.js';

let t: TestHub;
let db: Database;
let agent: MqttClient;
let jobs: TimeseriesService;
let seq = 1;
const address = { tenant: 'default', branch: 'hq', agent: 'srv-01' };

// Two days ago at 10:00 UTC: inside retention, on a day of its own.
const base = addDays(utcDay(new Date()), -2).getTime() + 10 * 3600_000;
const at = (minutes: number, seconds = 0) => new Date(base + minutes * 60_000 + seconds * 1000);

function icmp(when: Date, median: number, loss: number): ProbeResult {
  const received = Math.round(10 * (1 - loss / 100));
  return {
    check: 'gateway',
    type: 'icmp',
    target: '192.0.2.1',
    at: when.toISOString(),
    status: received > 0 ? 'ok' : 'failed',
    ...(received > 0 ? {} : { reason: '100% loss' }),
    fields: {
      sent: 10,
      received,
      loss,
      min: received > 0 ? median - 1 : null,
      median: received > 0 ? median : null,
      p95: received > 0 ? median + 2 : null,
      max: received > 0 ? median + 3 : null,
      jitter: received > 0 ? 0.5 : null,
    },
  };
}

const send = (results: ProbeResult[]) =>
  publish(agent, topics.results(address), JSON.stringify(batch('srv-01', seq++, results)));

beforeAll(async () => {
  t = await startTestHub();
  db = connectDatabase(t.databaseUrl);
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
});

const checkId = async () => (await db('checks').where({ key: 'gateway' }).first()).id as string;

describe('time series', () => {
  it('stores rounds in day partitions made ahead and on demand', async () => {
    await send([icmp(at(0), 10, 0)]);
    const partitions = (await new TimeseriesRepository(db).partitionDays()).map(partitionName);
    expect(partitions).toContain(partitionName(utcDay(at(0))));
    expect(partitions).toContain(partitionName(addDays(utcDay(new Date()), 7)));
    const row = await db.raw(
      `SELECT tableoid::regclass::text AS partition FROM check_results WHERE at = ?`,
      [at(0)],
    );
    expect(row.rows[0].partition).toBe(partitionName(utcDay(at(0))));
  });

  it('rolls rounds up per minute, hour and day with the median of the round medians', async () => {
    // Minute 0 already has one round (median 10). Add: minute 0 → 20, 30 (and one lost round);
    // minute 1 → 40; hour +1 → 100.
    await send([icmp(at(0, 20), 20, 10), icmp(at(0, 40), 30, 20), icmp(at(0, 50), 0, 100)]);
    await send([icmp(at(1), 40, 0)]);
    await send([icmp(at(60), 100, 0)]);
    // Run as if the day were over, so its day bucket is due too.
    const done = await jobs.rollup(addDays(new Date(), 1));
    expect(done).toEqual({ hours: 2, days: 1 });

    const id = await checkId();
    const rollup = (period: string, bucket: Date) =>
      db('check_rollups').where({ check_id: id, period, bucket }).first();

    const minute0 = await rollup('1m', at(0));
    expect(minute0).toMatchObject({ rounds: 4, failed: 1 });
    // Medians 10, 20, 30 (the lost round has none): median 20, mean 20.
    expect(minute0.stats.median).toEqual({ n: 3, min: 10, max: 30, mean: 20, median: 20 });
    // Loss 0, 10, 20, 100: mean 32.5, median 15.
    expect(minute0.stats.loss).toMatchObject({ n: 4, mean: 32.5, median: 15, max: 100 });

    const hour0 = await rollup('1h', at(0));
    expect(hour0).toMatchObject({ rounds: 5, failed: 1 });
    expect(hour0.stats.median).toEqual({ n: 4, min: 10, max: 40, mean: 25, median: 25 });

    const day = await rollup('1d', utcDay(at(0)));
    expect(day).toMatchObject({ rounds: 6, failed: 1 });
    // Medians 10, 20, 30, 40, 100: median 30.
    expect(day.stats.median).toMatchObject({ n: 5, median: 30, max: 100, mean: 40 });
  });

  it('recomputes a bucket when late rounds arrive', async () => {
    await send([icmp(at(1, 30), 60, 0)]);
    await jobs.rollup(addDays(new Date(), 1));
    const minute1 = await db('check_rollups')
      .where({ check_id: await checkId(), period: '1m', bucket: at(1) })
      .first();
    expect(minute1.stats.median).toEqual({ n: 2, min: 40, max: 60, mean: 50, median: 50 });
  });

  it('recomputes the dirty hours of many checks in as many statements as one hour', async () => {
    const statements = async (work: () => Promise<unknown>) => {
      let n = 0;
      const count = () => n++;
      db.on('query', count);
      try {
        expect(await work()).toBeDefined();
      } finally {
        db.off('query', count);
      }
      return n;
    };
    const uplink = (check: string, when: Date, median: number): ProbeResult => ({
      ...icmp(when, median, 0),
      check,
      target: '192.0.2.7',
    });
    await send([uplink('uplink-a', at(120), 7)]);
    const tomorrow = addDays(new Date(), 1);
    const one = await statements(() => jobs.rollup(tomorrow));
    // Two checks, three hours each: six dirty hours, two dirty days.
    await send(
      ['uplink-a', 'uplink-b'].flatMap((check, c) =>
        [120, 180, 240].map((minute, h) => uplink(check, at(minute + 1), 10 * (c + 1) + h)),
      ),
    );
    expect(await statements(() => jobs.rollup(tomorrow))).toBe(one);

    const rollup = async (check: string, period: string, bucket: Date) => {
      const id = (await db('checks').where({ key: check }).first()).id as string;
      return db('check_rollups').where({ check_id: id, period, bucket }).first();
    };
    // Each check's buckets hold its own rounds only.
    expect(await rollup('uplink-a', '1h', at(120))).toMatchObject({ rounds: 2, failed: 0 });
    expect((await rollup('uplink-a', '1m', at(120))).stats.median.median).toBe(7);
    expect((await rollup('uplink-a', '1h', at(120))).stats.median.median).toBe(8.5);
    expect((await rollup('uplink-b', '1h', at(180))).stats.median).toEqual({
      n: 1,
      min: 21,
      max: 21,
      mean: 21,
      median: 21,
    });
    expect(await rollup('uplink-b', '1d', utcDay(at(0)))).toMatchObject({ rounds: 3, failed: 0 });
    expect((await rollup('uplink-a', '1d', utcDay(at(0)))).stats.median.median).toBe(10.5);
  });

  it('answers series queries at the resolution that fits the range', async () => {
    const id = await checkId();
    const raw = await t.api.get<{
      resolution: string;
      points: { stats: { median?: { mean: number } } }[];
    }>(`/api/v1/checks/${id}/series?from=${at(0).toISOString()}&to=${at(5).toISOString()}`);
    expect(raw.resolution).toBe('raw');
    expect(raw.points.map((p) => p.stats.median?.mean ?? null)).toEqual([10, 20, 30, null, 40, 60]);

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

    const bad = await t.api.request('GET', `/api/v1/checks/${id}/series?from=yesterday`);
    expect(bad.status).toBe(400);
  });

  it("reads a chart's rollups from one index alone, the widest probe's statistics too", async () => {
    const id = await checkId();
    // Ten numeric fields (the most a probe reports, packages/contract) at full precision.
    const figure = () => Math.PI * 1e6 * Math.random();
    const stats = Object.fromEntries(
      Array.from({ length: 10 }, (_, i) => [
        `aFieldWithALongName${i}`,
        { n: 3600, min: figure(), max: figure(), mean: figure(), median: figure() },
      ]),
    );
    await db('check_rollups').insert({
      check_id: id,
      period: '1h',
      bucket: at(60 * 48),
      rounds: 3600,
      failed: 0,
      stats,
    });
    // What autovacuum does to rollups that stopped changing: their pages become all-visible.
    await db.raw('VACUUM check_rollups');
    const plan = await db.transaction(async (trx) => {
      // The table is tiny: make the planner show which index path it would take at scale.
      await trx.raw('SET LOCAL enable_seqscan = off');
      await trx.raw('SET LOCAL enable_bitmapscan = off');
      const query = new TimeseriesRepository(trx as unknown as Database)
        .rollupsQuery(id, '1h', at(0), at(60 * 24 * 30))
        .toSQL();
      const { rows } = await trx.raw(`EXPLAIN (ANALYZE, FORMAT JSON) ${query.sql}`, query.bindings);
      return rows[0]['QUERY PLAN'][0].Plan as PlanNode;
    });
    // The points are aggregated into one text; the rows under the aggregate come from the index.
    const scan = scanOf(plan);
    expect([scan?.['Node Type'], scan?.['Index Name'], scan?.['Heap Fetches']]).toEqual([
      'Index Only Scan',
      'check_rollups_chart',
      0,
    ]);
    // Written as JSON text by PostgreSQL: the same statistics, to the last digit, as stored.
    const read = await new TimeseriesRepository(db).rollupPointsJson(
      id,
      '1h',
      at(60 * 48),
      at(60 * 49),
    );
    expect(read).toMatchObject({ rounds: 3600, failed: 0 });
    expect(JSON.parse(`[${read.points}]`)).toEqual([
      { t: at(60 * 48).toISOString(), rounds: 3600, failed: 0, stats },
    ]);
    // The hour rollups of this check are counted further on.
    await db('check_rollups')
      .where({ check_id: id, period: '1h', bucket: at(60 * 48) })
      .delete();
  });

  it("removes a check's rounds with the check, and only its own", async () => {
    const other = await db('checks')
      .insert({
        tenant_id: db('checks').where({ key: 'gateway' }).select('tenant_id'),
        branch_id: db('checks').where({ key: 'gateway' }).select('branch_id'),
        agent_id: db('checks').where({ key: 'gateway' }).select('agent_id'),
        key: 'doomed',
        type: 'icmp',
        target: '192.0.2.9',
      })
      .returning('id');
    const doomed = (other[0] as { id: string }).id;
    const round = { status: 'ok', fields: {}, replayed: false, batch_seq: 1 };
    await db('check_results').insert([
      { check_id: doomed, at: new Date(Date.now() - 60_000), ...round },
      { check_id: doomed, at: new Date(Date.now() - 120_000), ...round },
    ]);
    const kept = await db('check_results')
      .where({ check_id: await checkId() })
      .count({ n: '*' });
    await db('checks').where({ id: doomed }).delete();
    expect(await db('check_results').where({ check_id: doomed }).count({ n: '*' })).toEqual([
      { n: 0 },
    ]);
    expect(
      await db('check_results')
        .where({ check_id: await checkId() })
        .count({ n: '*' }),
    ).toEqual(kept);
  });

  it('drops rounds past retention by whole partitions, and refuses to store them', async () => {
    const old = addDays(utcDay(new Date()), -40);
    const before = await metric(t.api.baseUrl, 'bw_ingest_expired_results_total');
    await send([icmp(new Date(old.getTime() + 3600_000), 5, 0)]);
    expect(await metric(t.api.baseUrl, 'bw_ingest_expired_results_total')).toBe(before + 1);
    expect(await new TimeseriesRepository(db).partitionDays()).not.toContainEqual(old);

    // 40 days on, the partition of our rounds is past retention; hour rollups stay.
    const { dropped } = await jobs.maintain(addDays(new Date(), 40));
    expect(dropped).toContainEqual(utcDay(at(0)));
    expect(
      await db('check_results')
        .where('at', '<', addDays(utcDay(at(0)), 1))
        .count({ n: '*' }),
    ).toEqual([{ n: 0 }]);
    expect(
      await db('check_rollups')
        .where({ check_id: await checkId(), period: '1h' })
        .count({ n: '*' }),
    ).toEqual([{ n: 2 }]);
  });
});

interface PlanNode {
  'Node Type': string;
  'Index Name'?: string;
  'Heap Fetches'?: number;
  Plans?: PlanNode[];
}

/** The scan of check_rollups in a plan (under the aggregate that joins the points). */
function scanOf(node: PlanNode): PlanNode | undefined {
  if (node['Node Type'].endsWith('Scan')) return node;
  for (const child of node.Plans ?? []) {
    const scan = scanOf(child);
    if (scan) return scan;
  }
  return undefined;
}
