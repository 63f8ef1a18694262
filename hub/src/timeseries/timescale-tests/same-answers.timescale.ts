import type { MqttClient } from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { topics, type ProbeResult } from '@branchwatch/contract';
import { batch, icmpResult, tcpResult } from '../../../../test/support/batches.js';
import { connectAgent, publish, startTestHub, type TestHub } from '../../../../test/support/hub.js';
import { createTimescaleDatabase } from '../../../../test/support/timescale.js';
import { connectDatabase, type Database } from '../../db/database.js';
import { createLogger } from '../../core/logger.js';
import { addDays, utcDay } from '../../db/time-partitions.js';
import { TimeseriesRepository } from '../timeseries.repository.js';
import { TimeseriesService } from '../timeseries.service.js';

/**
 * One query layer, two storage paths (docs/architecture.md "Storage"): the same rounds go through
 * MQTT into a hub on plain PostgreSQL (the embedded test server: partitions and the hub's own
 * rollups) and into a hub on TimescaleDB (compressed hypertable, continuous aggregates); the
 * API must then give the same answers: 30-day chart buckets, day and minute buckets, the
 * latest rounds and check states, and the monthly availability.
 */

const DAYS = 40;
const EVERY_MINUTES = 10;
const KEYS = ['gateway', 'camera', 'voip'] as const;
const address = { tenant: 'default', branch: 'hq', agent: 'srv-01' };

interface Side {
  name: string;
  hub: TestHub;
  db: Database;
  agent: MqttClient;
  jobs: TimeseriesService;
  seq: number;
  ids: Record<string, string>;
  branchId: string;
}
const sides: Side[] = [];
let tsdb: Awaited<ReturnType<typeof createTimescaleDatabase>> | undefined;
const now = new Date();

/** Deterministic rounds: a park–miller sequence, outages in runs, medians that wander. */
function roundsOf(from: Date, to: Date): ProbeResult[] {
  let seed = 20261121;
  const random = () => (seed = (seed * 48271) % 2147483647) / 2147483647;
  const results: ProbeResult[] = [];
  let gatewayDownUntil = 0;
  for (let t = from.getTime(); t < to.getTime(); t += EVERY_MINUTES * 60_000) {
    const at = new Date(t);
    if (gatewayDownUntil < t && random() < 0.004) gatewayDownUntil = t + 90 * 60_000;
    const loss = gatewayDownUntil >= t ? 100 : random() < 0.1 ? Math.round(random() * 30) : 0;
    results.push(icmpResult('gateway', at, loss, 5 + Math.round(random() * 400) / 10));
    results.push(tcpResult('camera', at, random() > 0.03));
    const voipLoss = random() < 0.02 ? 100 : Math.round(random() * 5);
    results.push(icmpResult('voip', at, voipLoss, 20 + random() * 80, '192.0.2.9'));
  }
  return results;
}

async function startSide(name: string, env: Record<string, string>, url?: string) {
  const settings = { BW_RETENTION_DAYS: '60', BW_ROLLUP_INTERVAL_SECONDS: '3600' };
  const hub = await startTestHub({ ...settings, ...env });
  const db = connectDatabase(url ?? hub.databaseUrl);
  const issued = await hub.api.createAgent(address.branch, address.agent);
  const agent = await connectAgent(hub.mqttUrl, issued.credentials);
  const jobs = new TimeseriesService(
    new TimeseriesRepository(db),
    { retentionDays: 60, rollupIntervalSeconds: 3600 },
    createLogger('silent'),
  );
  await jobs.start();
  const side: Side = { name, hub, db, agent, jobs, seq: 1, ids: {}, branchId: '' };
  sides.push(side);
  return side;
}

async function load(side: Side, results: ProbeResult[], replayed: boolean) {
  for (let i = 0; i < results.length; i += 600) {
    const payload = batch('srv-01', side.seq++, results.slice(i, i + 600), replayed);
    await publish(side.agent, topics.results(address), JSON.stringify(payload));
  }
}

/**
 * Runs the rollup job until nothing is left to roll up (as if the running day were over). On
 * TimescaleDB a run may yield to a refresh policy at work on the same window (undefined).
 */
async function rollUp(side: Side) {
  for (let run = 0; run < 200; run++) {
    const done = await side.jobs.rollup(addDays(new Date(), 1));
    if (done && done.hours === 0 && done.days === 0) return run;
    if (!done) await new Promise((resolve) => setTimeout(resolve, 500));
  }
  throw new Error(`${side.name}: rollups did not settle in 200 runs`);
}

/** Numbers to 12 significant digits: a mean summed in another order may differ in the last bit. */
function settled(value: unknown): unknown {
  if (typeof value === 'number') return Number(value.toPrecision(12));
  if (Array.isArray(value)) return value.map(settled);
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, settled(v)]));
  }
  return value;
}

/** The same request to both hubs, check ids swapped for each side's own. */
async function ask(path: (side: Side) => string) {
  const answers = [];
  for (const side of sides) {
    const started = performance.now();
    const answer = await side.hub.api.get<Record<string, unknown>>(path(side));
    answers.push({ answer, ms: performance.now() - started });
  }
  return answers;
}

const withoutIds = (answer: Record<string, unknown>) =>
  JSON.parse(
    JSON.stringify(answer, (key, value: unknown) =>
      key === 'id' || key === 'branchId' ? undefined : value,
    ),
  ) as Record<string, unknown>;

beforeAll(async () => {
  tsdb = await createTimescaleDatabase();
  await startSide('postgres', {});
  await startSide('timescaledb', { DATABASE_URL: tsdb.url }, tsdb.url);
  const from = addDays(utcDay(now), -DAYS);
  const live = new Date(now.getTime() - 2 * 3600_000);
  const history = roundsOf(from, live);
  const recent = roundsOf(live, now).filter((r) => new Date(r.at) < now);
  for (const side of sides) {
    await load(side, history, true);
    await load(side, recent, false);
    for (const key of KEYS) {
      side.ids[key] = (await side.db('checks').where({ key }).first()).id;
    }
    side.branchId = (await side.db('branches').where({ slug: address.branch }).first())?.id;
    const started = performance.now();
    const runs = await rollUp(side);
    console.log(
      `${side.name}: ${history.length + recent.length} rounds, ${runs} rollup runs, ` +
        `${((performance.now() - started) / 1000).toFixed(1)} s`,
    );
  }
  // Answers on the TimescaleDB side come from compressed chunks as they will in production.
  const ts = sides[1]!;
  const job = await ts.db.raw(
    `SELECT job_id FROM timescaledb_information.jobs
     WHERE proc_name = 'policy_compression' AND hypertable_name = 'check_results'`,
  );
  await ts.db.raw('CALL run_job(?)', [job.rows[0].job_id]);
});
afterAll(async () => {
  for (const side of sides) {
    side.agent.end(true);
    await side.jobs.stop();
    await side.db.destroy();
    await side.hub.stop();
  }
  await tsdb?.drop();
});

describe('the same answers on plain PostgreSQL and on TimescaleDB', () => {
  it('runs the two paths it compares, from compressed chunks on TimescaleDB', async () => {
    expect(sides.map((s) => s.jobs.backend)).toEqual(['postgres', 'timescaledb']);
    const chunks = await sides[1]!.db.raw(
      `SELECT count(*) FILTER (WHERE is_compressed) AS compressed, count(*) AS all
       FROM timescaledb_information.chunks WHERE hypertable_name = 'check_results'`,
    );
    console.log('timescaledb chunks', chunks.rows[0]);
    expect(chunks.rows[0].compressed).toBeGreaterThanOrEqual(DAYS - 4);
  });

  it('30-day chart buckets, day buckets and minute buckets', async () => {
    const ranges = [
      { from: addDays(now, -30), to: now, resolution: '1h' },
      { from: addDays(utcDay(now), -DAYS), to: now, resolution: '1d' },
      { from: addDays(now, -3), to: now, resolution: '1m' },
    ];
    for (const key of KEYS) {
      for (const range of ranges) {
        const [plain, ts] = await ask(
          (s) =>
            `/api/v1/checks/${s.ids[key]}/series?from=${range.from.toISOString()}` +
            `&to=${range.to.toISOString()}` +
            (range.resolution === '1d' ? '&resolution=1d' : ''),
        );
        const a = plain!.answer as { resolution: string; points: unknown[] };
        expect(a.resolution).toBe(range.resolution);
        expect(a.points.length).toBeGreaterThan(0);
        expect(settled(withoutIds(ts!.answer))).toEqual(settled(withoutIds(plain!.answer)));
        console.log(
          `${key} ${range.resolution}: ${a.points.length} points, plain ${plain!.ms.toFixed(0)} ms,` +
            ` timescaledb ${ts!.ms.toFixed(0)} ms`,
          JSON.stringify((plain!.answer as { availability: unknown }).availability),
        );
      }
    }
  });

  it('the latest rounds and the current state of each check', async () => {
    for (const key of KEYS) {
      const [plain, ts] = await ask(
        (s) =>
          `/api/v1/checks/${s.ids[key]}/series?from=${new Date(now.getTime() - 6 * 3600_000).toISOString()}&to=${now.toISOString()}`,
      );
      expect((plain!.answer as { resolution: string }).resolution).toBe('raw');
      expect(withoutIds(ts!.answer)).toEqual(withoutIds(plain!.answer));
    }
    const states = [];
    for (const side of sides) {
      states.push(
        await side
          .db('checks')
          .orderBy('key')
          .select('key', 'state', 'last_status', 'last_result_at', 'last_fields'),
      );
    }
    expect(states[0]).toHaveLength(KEYS.length);
    expect(states[1]).toEqual(states[0]);
  });

  it('monthly availability of the branch links', async () => {
    const months = [...new Set([addDays(now, -DAYS), now].map((d) => d.toISOString().slice(0, 7)))];
    for (const month of months) {
      const [plain, ts] = await ask(
        (s) => `/api/v1/branches/${s.branchId}/availability?month=${month}&target=99.5`,
      );
      const items = (plain!.answer as { items: { percent?: number; rounds: number }[] }).items;
      expect(items).toHaveLength(KEYS.length);
      expect(items.some((i) => i.rounds > 0)).toBe(true);
      expect(settled(withoutIds(ts!.answer))).toEqual(settled(withoutIds(plain!.answer)));
      console.log(`availability ${month}`, JSON.stringify(settled(withoutIds(plain!.answer))));
    }
  });
});
