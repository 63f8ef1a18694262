import type { MqttClient } from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NUL_REPLACEMENT, topics } from '@branchwatch/contract';
import { batch, tcpResult } from '../../../test/support/batches.js';
import { connectAgent, publish, startTestHub, type TestHub } from '../../../test/support/hub.js';
import { metric } from '../../../test/support/metrics.js';
import { connectDatabase, type Database } from '../db/database.js';

/**
 * Payloads that pass the contract's shape but that PostgreSQL cannot take, or that would make
 * the hub build what it must not (partitions for far-off days, thousands of checks). Each must
 * be acknowledged — refused with a counted reason, or repaired and stored — so that the agent
 * that sent it is never stuck resending it, and its next batch goes through.
 */
let t: TestHub;
let db: Database;
let agent: MqttClient;
const address = { tenant: 'default', branch: 'hq', agent: 'srv-01' };
const resultsTopic = topics.results(address);
const now = () => new Date(Math.floor(Date.now() / 1000) * 1000);
const DAY = 86400_000;
let seq = 0;

beforeAll(async () => {
  // A batch holds at most 2,000 results, as many as the default bound on checks: a lower one
  // shows the refusal.
  t = await startTestHub({ BW_INGEST_MAX_CHECKS_PER_AGENT: '100' });
  db = connectDatabase(t.databaseUrl);
  const issued = await t.api.createAgent('hq', 'srv-01');
  agent = await connectAgent(t.mqttUrl, issued.credentials);
});
afterAll(async () => {
  agent?.end(true);
  await db?.destroy();
  await t?.stop();
});

/** Resolves on the PUBACK; rejects when none came in time or the connection was closed. */
function acknowledged(topic: string, payload: string, ms = 10_000): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('no PUBACK in time')), ms);
    const closed = () => reject(new Error('the hub closed the connection instead of a PUBACK'));
    agent.once('close', closed);
    publish(agent, topic, payload).then(
      () => {
        clearTimeout(timer);
        agent.off('close', closed);
        resolve();
      },
      (err: unknown) => {
        clearTimeout(timer);
        reject(err instanceof Error ? err : new Error(String(err)));
      },
    );
  });
}

const counted = (series: string) => metric(t.api.baseUrl, series);
const rejected = (reason: string) => counted(`bw_ingest_rejected_total{reason="${reason}"}`);
const stored = async (s: number) =>
  Number((await db('result_batches').where({ seq: s }).count({ n: '*' }))[0]!.n);
const partitions = async () =>
  (
    await db.raw(
      `SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
       JOIN pg_class p ON p.oid = i.inhparent WHERE p.relname = 'check_results'`,
    )
  ).rows.map((r: { relname: string }) => r.relname) as string[];

/** The next batch of the same agent is stored: nothing holds it up. */
async function nextBatchStored() {
  const s = ++seq;
  await acknowledged(
    resultsTopic,
    JSON.stringify(batch('srv-01', s, [tcpResult('ok', now(), true)])),
  );
  expect(await stored(s)).toBe(1);
}

describe('NUL in text', () => {
  it('in a target and a reason is stored as U+FFFD, counted and acknowledged', async () => {
    const before = await counted('bw_ingest_repaired_total{reason="nul_character"}');
    const round = tcpResult('nul-check', now(), false);
    const s = ++seq;
    const payload = JSON.stringify(
      batch('srv-01', s, [{ ...round, target: 'gw\u0000:80', reason: 'refused\u0000' }]),
    );
    await acknowledged(resultsTopic, payload);
    expect(await stored(s)).toBe(1);
    const row = await db('check_results as r')
      .join('checks as c', 'c.id', 'r.check_id')
      .where('c.key', 'nul-check')
      .first('r.reason', 'c.target');
    expect(row).toEqual({ reason: `refused${NUL_REPLACEMENT}`, target: `gw${NUL_REPLACEMENT}:80` });
    expect(await counted('bw_ingest_repaired_total{reason="nul_character"}')).toBe(before + 1);
    await nextBatchStored();
  });

  it('in a status version and a config error message is stored as U+FFFD', async () => {
    const status = {
      v: 1,
      agent: 'srv-01',
      state: 'online',
      at: now().toISOString(),
      version: '9.9\u0000',
      config: { revision: 0, error: { revision: 1, message: 'no\u0000 such probe' } },
    };
    await acknowledged(topics.status(address), JSON.stringify(status));
    const row = await db('agents').where({ slug: 'srv-01' }).first('version');
    expect(row.version).toBe(`9.9${NUL_REPLACEMENT}`);
    await nextBatchStored();
  });
});

describe('text jsonb cannot hold, and nesting past any payload', () => {
  it('stores a lone surrogate in a config error message (jsonb) as U+FFFD', async () => {
    const status = {
      v: 1,
      agent: 'srv-01',
      state: 'online',
      at: now().toISOString(),
      version: '9.9',
      config: { revision: 0, error: { revision: 2, message: 'bad \ud800 probe' } },
    };
    await acknowledged(topics.status(address), JSON.stringify(status));
    await nextBatchStored();
  });

  it('acknowledges a payload nested 5,000 deep, refusing it, and goes on', async () => {
    const deep = '{"a":'.repeat(5_000) + '1' + '}'.repeat(5_000);
    await acknowledged(resultsTopic, deep);
    await nextBatchStored();
  });
});

describe('numbers PostgreSQL cannot store', () => {
  const icmp = (samples: number[]) => ({
    check: 'rtt',
    type: 'icmp' as const,
    target: '127.0.0.1',
    at: now().toISOString(),
    status: 'ok' as const,
    fields: { sent: 2, received: 2, loss: 0, min: 0, median: 0, p95: 0, max: 0, jitter: 0 },
    samples,
  });

  it('stores an RTT sample below real range as 0', async () => {
    const s = ++seq;
    await acknowledged(resultsTopic, JSON.stringify(batch('srv-01', s, [icmp([1e-40, 0.5])])));
    expect(await stored(s)).toBe(1);
    const row = await db('check_results').where({ batch_seq: s }).first('samples');
    expect(row.samples).toEqual([0, 0.5]);
  });

  it('refuses an RTT sample past real range as invalid, counted', async () => {
    const before = await rejected('invalid');
    const s = ++seq;
    await acknowledged(resultsTopic, JSON.stringify(batch('srv-01', s, [icmp([1e300])])));
    expect(await stored(s)).toBe(0);
    expect(await rejected('invalid')).toBe(before + 1);
    await nextBatchStored();
  });
});

describe('times and checks out of bounds', () => {
  it('refuses a round dated 9999-12-31, counted, and makes no partition for it', async () => {
    const before = await rejected('time_out_of_range');
    const s = ++seq;
    const far = tcpResult('far', new Date('9999-12-31T23:59:59Z'), true);
    await acknowledged(resultsTopic, JSON.stringify(batch('srv-01', s, [far])));
    expect(await stored(s)).toBe(0);
    expect(await rejected('time_out_of_range')).toBe(before + 1);
    expect((await partitions()).filter((p) => p.startsWith('check_results_p9999'))).toEqual([]);
    await nextBatchStored();
  });

  it('refuses a batch with rounds on 200 future days, making none of their partitions', async () => {
    const before = await partitions();
    const start = Math.floor(Date.now() / DAY) * DAY + 10 * DAY;
    const rounds = Array.from({ length: 200 }, (_, i) =>
      tcpResult('future', new Date(start + i * DAY), true),
    );
    const s = ++seq;
    await acknowledged(resultsTopic, JSON.stringify(batch('srv-01', s, rounds)));
    expect(await stored(s)).toBe(0);
    expect(await partitions()).toEqual(before);
    await nextBatchStored();
  });

  it("takes a round a little ahead of the hub's clock (an agent's clock runs fast)", async () => {
    const s = ++seq;
    const ahead = tcpResult('ahead', new Date(Date.now() + 3600_000), true);
    await acknowledged(resultsTopic, JSON.stringify(batch('srv-01', s, [ahead])));
    expect(await stored(s)).toBe(1);
  });

  it('refuses a batch naming more checks than an agent may have, and makes none of them', async () => {
    const before = await rejected('too_many_checks');
    const at = now();
    const rounds = Array.from({ length: 101 }, (_, i) => tcpResult(`many-${i}`, at, true));
    const s = ++seq;
    await acknowledged(resultsTopic, JSON.stringify(batch('srv-01', s, rounds)));
    expect(await stored(s)).toBe(0);
    expect(await rejected('too_many_checks')).toBe(before + 1);
    const made = await db('checks').where('key', 'like', 'many-%').count({ n: '*' });
    expect(Number(made[0]!.n)).toBe(0);
    await nextBatchStored();
  });
});
