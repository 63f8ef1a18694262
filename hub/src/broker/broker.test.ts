import type { MqttClient } from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_RESULTS_BYTES, topics } from '@branchwatch/contract';
import { batch, tcpResult } from '../../../test/support/batches.js';
import { waitFor } from '../../../test/support/http.js';
import { connectAgent, publish, startTestHub, type TestHub } from '../../../test/support/hub.js';
import { metric } from '../../../test/support/metrics.js';
import { AlertPolicy } from '../alerts/alert-policy.js';
import { loadConfig } from '../config/config.js';
import { connectDatabase, type Database } from '../db/database.js';
import { EventBus, type CheckStateChange } from '../core/events.js';
import { createLogger } from '../core/logger.js';
import { HubMetrics } from '../core/metrics.js';
import { AgentRepository, type AgentRow } from '../fleet/agent.repository.js';
import { IngestRepository } from '../ingest/ingest.repository.js';
import { IngestService } from '../ingest/ingest.service.js';
import { TimeseriesRepository } from '../timeseries/timeseries.repository.js';
import { TimeseriesService } from '../timeseries/timeseries.service.js';

let t: TestHub;
let db: Database;
let agent: MqttClient;
const address = { tenant: 'default', branch: 'hq', agent: 'srv-01' };
const resultsTopic = topics.results(address);
const start = Date.UTC(2026, 10, 21, 8, 0, 0);
const at = (second: number) => new Date(start + second * 1000);

beforeAll(async () => {
  t = await startTestHub();
  db = connectDatabase(t.databaseUrl);
  const issued = await t.api.createAgent('hq', 'srv-01');
  agent = await connectAgent(t.mqttUrl, issued.credentials);
});
afterAll(async () => {
  agent?.end(true);
  await db?.destroy();
  await t?.stop();
});

interface TicketView {
  id: string;
  state: string;
  checkId: string;
}

const ticketsOf = async (checkKey: string) => {
  const check = await db('checks').where({ key: checkKey }).first();
  const { items } = await t.api.get<{ items: TicketView[] }>('/api/v1/tickets');
  return items.filter((i) => i.checkId === check?.id);
};

describe('ingest', () => {
  it('stores a batch with its values before the PUBACK', async () => {
    await publish(
      agent,
      resultsTopic,
      JSON.stringify(batch('srv-01', 1, [tcpResult('web', at(0), true)])),
    );
    // No waiting: the PUBACK came after the commit.
    const rows = await db('check_results as r')
      .join('checks as c', 'c.id', 'r.check_id')
      .where('c.key', 'web');
    expect(rows).toHaveLength(1);
    const heard = await db('agents').where({ slug: 'srv-01' }).first();
    expect(Date.now() - heard.last_seen_at.getTime()).toBeLessThan(60_000);
    expect(rows[0]).toMatchObject({
      status: 'ok',
      fields: { connect: 0.3 },
      replayed: false,
      batch_seq: 1,
    });
  });

  it('takes batches over MQTT over WebSocket on the HTTP port too', async () => {
    const issued = await t.api.createAgent('ws-branch', 'ws-agent');
    const wsAgent = await connectAgent(`ws://127.0.0.1:${t.hub.httpPort}/mqtt`, issued.credentials);
    const wsAddress = { tenant: 'default', branch: 'ws-branch', agent: 'ws-agent' };
    await publish(
      wsAgent,
      topics.results(wsAddress),
      JSON.stringify(batch('ws-agent', 1, [tcpResult('web', at(5), true)])),
    );
    wsAgent.end(true);
    const stored = await db('result_batches as b')
      .join('agents as a', 'a.id', 'b.agent_id')
      .where('a.slug', 'ws-agent')
      .select('b.seq');
    expect(stored).toEqual([{ seq: 1 }]);
  });

  it('stores a batch delivered twice once', async () => {
    const payload = JSON.stringify(
      batch('srv-01', 2, [tcpResult('web', at(10), true), tcpResult('dns', at(10), true)]),
    );
    const before = await metric(t.api.baseUrl, 'bw_ingest_batches_total{outcome="duplicate"}');
    await publish(agent, resultsTopic, payload);
    await publish(agent, resultsTopic, payload);
    expect(await db('result_batches').where({ seq: 2 }).count({ n: '*' })).toEqual([{ n: 1 }]);
    expect(await db('check_results').where({ batch_seq: 2 }).count({ n: '*' })).toEqual([{ n: 2 }]);
    expect(await metric(t.api.baseUrl, 'bw_ingest_batches_total{outcome="duplicate"}')).toBe(
      before + 1,
    );
  });

  it('opens one ticket after three failed rounds and resolves it after two good ones', async () => {
    let seq = 10;
    const send = (second: number, ok: boolean) =>
      publish(
        agent,
        resultsTopic,
        JSON.stringify(batch('srv-01', seq++, [tcpResult('pbx', at(second), ok)])),
      );
    await send(100, true);
    await send(110, false);
    await send(120, false);
    expect(await ticketsOf('pbx')).toEqual([]);
    await send(130, false);
    await send(140, false);
    const [opened, ...others] = await ticketsOf('pbx');
    expect(others).toEqual([]);
    expect(opened).toMatchObject({ state: 'open' });
    const { items: checks } = await t.api.get<{ items: { key: string; state: string }[] }>(
      '/api/v1/checks',
    );
    expect(checks.find((c) => c.key === 'pbx')?.state).toBe('failing');

    await send(150, true);
    expect((await ticketsOf('pbx'))[0]?.state).toBe('open');
    await send(160, true);
    const { ticket, events } = await t.api.get<{
      ticket: { state: string; resolvedAt: string | null };
      events: { kind: string; body: string; data?: { text?: Record<string, unknown> } }[];
    }>(`/api/v1/tickets/${opened!.id}`);
    expect(ticket.state).toBe('resolved');
    expect(events.map((e) => e.kind)).toEqual(['opened', 'recovered', 'resolved']);
    expect(events[0]!.data?.text).toMatchObject({
      kind: 'check_failing',
      since: at(110).toISOString(),
      reason: 'connection refused',
    });
    expect(events[0]!.body).toMatch(/^Failing since .+ \(UTC\): connection refused\.\n/);
    // Down from the first failed round (110 s) to the second good one (160 s).
    expect(events[1]!.body).toContain('after 50 s of downtime');
  });

  it('stores replayed results without opening a ticket', async () => {
    const replayed = [200, 210, 220, 230].map((s) => tcpResult('camera', at(s), false));
    await publish(agent, resultsTopic, JSON.stringify(batch('srv-01', 50, replayed, true)));
    expect(
      await db('check_results').where({ batch_seq: 50, replayed: true }).count({ n: '*' }),
    ).toEqual([{ n: 4 }]);
    expect(await ticketsOf('camera')).toEqual([]);
  });
});

describe('bad input', () => {
  const rejected = (reason: string) =>
    metric(t.api.baseUrl, `bw_ingest_rejected_total{reason="${reason}"}`);

  it('counts malformed, wrongly versioned, invalid and oversized payloads and keeps going', async () => {
    const good = batch('srv-01', 60, [tcpResult('web', at(600), true)]);
    const cases: [string, string | Buffer][] = [
      ['malformed_json', '{"v":1,"agent":'],
      ['unsupported_version', JSON.stringify({ ...good, v: 9 })],
      ['invalid', JSON.stringify({ ...good, seq: -1 })],
      ['too_large', Buffer.alloc(MAX_RESULTS_BYTES + 10, 0x7b)],
      ['agent_mismatch', JSON.stringify({ ...good, agent: 'srv-99' })],
    ];
    for (const [reason, payload] of cases) {
      const before = await rejected(reason);
      await publish(agent, resultsTopic, payload);
      expect([reason, await rejected(reason)]).toEqual([reason, before + 1]);
    }
    // The same connection's next batch is stored.
    await publish(agent, resultsTopic, JSON.stringify(good));
    expect(await db('result_batches').where({ seq: 60 }).count({ n: '*' })).toEqual([{ n: 1 }]);
    expect(await t.api.get('/readyz')).toMatchObject({ status: 'ready' });
  });

  it('closes a connection that publishes outside its own subtree', async () => {
    const issued = await t.api.createAgent('shiraz', 'srv-02');
    const intruder = await connectAgent(t.mqttUrl, issued.credentials);
    const before = await rejected('topic_denied');
    const closed = new Promise<void>((resolve) => intruder.once('close', () => resolve()));
    intruder.publish(
      resultsTopic,
      JSON.stringify(batch('srv-01', 61, [tcpResult('web', at(610), false)])),
      {
        qos: 1,
      },
    );
    await closed;
    intruder.end(true);
    expect(await rejected('topic_denied')).toBe(before + 1);
    expect(await db('result_batches').where({ seq: 61 }).count({ n: '*' })).toEqual([{ n: 0 }]);
  });

  it('refuses wrong credentials and a borrowed client id', async () => {
    const before = await rejected('bad_credentials');
    await expect(
      connectAgent(t.mqttUrl, { username: 'default.hq.srv-01', password: 'guess' }),
    ).rejects.toThrow(/Bad username or password|Not authorized/i);
    await expect(connectAgent(t.mqttUrl, { username: 'nobody', password: 'x' })).rejects.toThrow();
    expect(await rejected('bad_credentials')).toBe(before + 2);

    const issued = await t.api.createAgent('tabriz', 'srv-03');
    await expect(
      connectAgent(t.mqttUrl, issued.credentials, 'default.hq.srv-01'),
    ).rejects.toThrow();
    expect(await rejected('client_id_mismatch')).toBe(1);
  });

  it('refuses subscriptions outside the agent config topic', async () => {
    const subscribe = (topic: string) =>
      new Promise<number[]>((resolve) =>
        agent.subscribe(topic, { qos: 1 }, (err, grants) => {
          // mqtt.js reports a refused grant as an error that carries the SUBACK.
          const packet = (err as { packet?: { granted: number[] } } | null)?.packet;
          resolve(packet ? packet.granted : (grants ?? []).map((g) => g.qos));
        }),
      );
    expect(await subscribe(topics.config(address))).toEqual([1]);
    expect(await subscribe(topics.results({ ...address, agent: 'srv-02' }))).toEqual([128]);
    expect(await subscribe('#')).toEqual([128]);
  });

  it('marks the agent online, and offline when it goes', async () => {
    await publish(
      agent,
      topics.status(address),
      JSON.stringify({
        v: 1,
        agent: 'srv-01',
        state: 'online',
        at: new Date().toISOString(),
        version: '9.9.9',
      }),
    );
    const online = async () =>
      (
        await t.api.get<{ items: { slug: string; online: boolean; version: string }[] }>(
          '/api/v1/agents',
        )
      ).items.find((a) => a.slug === 'srv-01');
    expect(await online()).toMatchObject({ online: true, version: '9.9.9' });
    agent.end(true);
    await waitFor('agent offline', async () =>
      (await online())?.online === false ? true : undefined,
    );
  });
});

/**
 * Group commit (ingest/ingest-groups.ts) on the real database: an IngestService of its own
 * on the test hub's database, so that the test decides which batches wait together (those
 * submitted in the same turn of the event loop form one group) and sees the events it emits.
 */
describe('group commit', () => {
  const logger = createLogger('silent');
  let timeseries: TimeseriesService;
  let ingest: IngestService;
  let changes: CheckStateChange[] = [];
  let events: EventBus;
  let policy: AlertPolicy;
  const agents: AgentRow[] = [];
  const now = Date.now() - 600_000;
  const when = (second: number) => new Date(now + second * 1000);
  /** The transaction ids that wrote the ledger rows of these agents' batches, by seq. */
  const writers = async (agent: AgentRow) =>
    (
      await db('result_batches')
        .where({ agent_id: agent.id })
        .orderBy('seq')
        .select('seq', db.raw('xmin::text AS xid'))
    ).map((r: { seq: number; xid: string }) => [r.seq, r.xid] as const);
  const resultsOf = async (agent: AgentRow) =>
    (
      await db('check_results as r')
        .join('checks as c', 'c.id', 'r.check_id')
        .where('c.agent_id', agent.id)
        .orderBy(['r.batch_seq', 'c.key'])
        .select('c.key', 'r.batch_seq')
    ).map((r: { key: string; batch_seq: number }) => `${r.batch_seq}:${r.key}`);

  beforeAll(async () => {
    const config = loadConfig({ DATABASE_URL: t.databaseUrl });
    timeseries = new TimeseriesService(new TimeseriesRepository(db), config.timeseries, logger);
    await timeseries.start();
    policy = new AlertPolicy(
      { listRules: async () => [] },
      { hysteresis: config.alerts, flap: config.alerts.flap },
      logger,
    );
    await policy.reload();
    events = new EventBus(logger);
    events.on('check.stateChanged', (c) => void changes.push(c));
    ingest = new IngestService(
      new IngestRepository(db),
      events,
      new HubMetrics(),
      policy,
      timeseries,
      logger,
    );
    const repo = new AgentRepository(db);
    for (const name of ['grp-a', 'grp-b', 'grp-c', 'grp-d', 'grp-e']) {
      const issued = await t.api.createAgent(name, name);
      const { passwordHash: _, ...row } = (await repo.findByUsername(issued.credentials.username))!;
      agents.push(row);
    }
  });
  afterAll(() => timeseries?.stop());

  it("commits several agents' batches waiting together in one transaction", async () => {
    const stored = await Promise.all(
      agents.map((a, i) =>
        ingest.storeBatch(
          a,
          batch(a.slug, 1, [tcpResult('web', when(i), true), tcpResult('dns', when(i), true)]),
        ),
      ),
    );
    expect(stored).toEqual(agents.map(() => 'accepted'));
    const xids = await Promise.all(agents.map(writers));
    expect(new Set(xids.map((w) => w[0]![1])).size).toBe(1);
    expect(await Promise.all(agents.map(resultsOf))).toEqual(agents.map(() => ['1:dns', '1:web']));
  });

  it('stores a duplicate in a group once, whether stored before or twice in the group', async () => {
    const [a, b] = agents as [AgentRow, AgentRow];
    const again = batch(a.slug, 1, [tcpResult('web', when(0), true)]);
    const second = batch(a.slug, 2, [tcpResult('web', when(10), true)]);
    const stored = await Promise.all([
      ingest.storeBatch(a, again),
      ingest.storeBatch(a, second),
      ingest.storeBatch(a, { ...second }),
      ingest.storeBatch(b, batch(b.slug, 2, [tcpResult('web', when(10), true)])),
    ]);
    expect(stored).toEqual(['duplicate', 'accepted', 'duplicate', 'accepted']);
    expect(await resultsOf(a)).toEqual(['1:dns', '1:web', '2:web']);
    expect((await writers(a)).map(([seq]) => seq)).toEqual([1, 2]);
  });

  it('fails a batch the database refuses alone; the others in its group are stored', async () => {
    const [a, b, c] = agents as [AgentRow, AgentRow, AgentRow];
    // PostgreSQL text cannot hold NUL, so this batch passes the contract and fails to insert.
    const poisoned = { ...tcpResult('web', when(20), false), reason: 'refused\u0000' };
    const stored = await Promise.allSettled([
      ingest.storeBatch(a, batch(a.slug, 3, [tcpResult('web', when(20), true)])),
      ingest.storeBatch(b, batch(b.slug, 3, [poisoned])),
      ingest.storeBatch(c, batch(c.slug, 3, [tcpResult('web', when(20), true)])),
    ]);
    expect(stored.map((s) => s.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(String((stored[1] as PromiseRejectedResult).reason)).toMatch(/0x00|invalid byte/);
    expect((await resultsOf(a)).at(-1)).toBe('3:web');
    expect((await resultsOf(b)).at(-1)).toBe('2:web');
    expect((await writers(b)).map(([seq]) => seq)).toEqual([1, 2]);
    expect((await resultsOf(c)).at(-1)).toBe('3:web');
    // The agent resends it later, fixed; it is stored then.
    const fixed = batch(b.slug, 3, [tcpResult('web', when(20), false)]);
    expect(await ingest.storeBatch(b, fixed)).toBe('accepted');
  });

  it('records a batch whose rounds are all past retention, in a group with others', async () => {
    const [a, b] = agents as [AgentRow, AgentRow];
    const ancient = new Date(Date.now() - 400 * 86400_000);
    const stored = await Promise.all([
      ingest.storeBatch(a, batch(a.slug, 6, [tcpResult('web', ancient, true)])),
      ingest.storeBatch(b, batch(b.slug, 6, [tcpResult('web', when(60), true)])),
    ]);
    expect(stored).toEqual(['accepted', 'accepted']);
    expect((await writers(a)).map(([seq]) => seq)).toContain(6);
    expect(await resultsOf(a)).not.toContain('6:web');
    expect(await resultsOf(b)).toContain('6:web');
  });

  it('stores the new rounds of a batch that repeats stored rounds under a new seq', async () => {
    const c = agents[2]!;
    const repeated = batch(c.slug, 5, [
      tcpResult('web', when(2), true),
      { ...tcpResult('web', when(25), false), reason: 'tab\there, new\nline, back\\slash "q"' },
    ]);
    expect(await ingest.storeBatch(c, repeated)).toBe('accepted');
    const rows = await db('check_results as r')
      .join('checks as ch', 'ch.id', 'r.check_id')
      .where({ 'ch.agent_id': c.id, 'ch.key': 'web' })
      .whereIn('r.at', [when(2), when(25)])
      .orderBy('r.at')
      .select('r.batch_seq', 'r.reason');
    // The round at 2 s stays as batch 1 stored it; the one at 25 s is new, text kept exactly.
    expect(rows).toEqual([
      { batch_seq: 1, reason: null },
      { batch_seq: 5, reason: 'tab\there, new\nline, back\\slash "q"' },
    ]);
  });

  it('stores a batch alone in one transaction without savepoints, and again when it repeats', async () => {
    const c = agents[2]!;
    const sent = async (work: () => Promise<unknown>) => {
      const statements: string[] = [];
      const record = (q: { sql: string }) => statements.push(q.sql);
      db.on('query', record);
      try {
        await work();
      } finally {
        db.off('query', record);
      }
      return statements;
    };
    const fresh = await sent(() =>
      ingest.storeBatch(c, batch(c.slug, 6, [tcpResult('web', when(27), true)])),
    );
    // BEGIN, the claim, the check lock, the progress and COMMIT (the COPY is not a knex query).
    expect(fresh.filter((sql) => /^(BEGIN|COMMIT)/i.test(sql))).toHaveLength(2);
    expect(fresh.filter((sql) => /SAVEPOINT/i.test(sql))).toEqual([]);
    expect(fresh).toHaveLength(5);
    // A round stored before under another seq: the transaction is tried again, skipping it.
    const repeated = await sent(() =>
      ingest.storeBatch(
        c,
        batch(c.slug, 8, [tcpResult('web', when(27), false), tcpResult('web', when(28), true)]),
      ),
    );
    expect(repeated.filter((sql) => /^BEGIN/i.test(sql))).toHaveLength(2);
    expect(
      repeated.filter((sql) => /ON CONFLICT \(check_id, at\) DO NOTHING/.test(sql)),
    ).toHaveLength(1);
    const rows = await db('check_results as r')
      .join('checks as ch', 'ch.id', 'r.check_id')
      .where({ 'ch.agent_id': c.id, 'ch.key': 'web' })
      .whereIn('r.at', [when(27), when(28)])
      .orderBy('r.at')
      .select('r.batch_seq', 'r.status');
    expect(rows).toEqual([
      { batch_seq: 6, status: 'ok' },
      { batch_seq: 8, status: 'ok' },
    ]);
  });

  it('stores a group in which one batch repeats stored rounds under a new seq', async () => {
    const [b, c] = [agents[1]!, agents[2]!];
    const stored = await Promise.all([
      // The round at 25 s was stored by batch 5 above; the one at 26 s is new.
      ingest.storeBatch(
        c,
        batch(c.slug, 7, [tcpResult('web', when(25), true), tcpResult('web', when(26), true)]),
      ),
      ingest.storeBatch(b, batch(b.slug, 7, [tcpResult('web', when(61), true)])),
    ]);
    expect(stored).toEqual(['accepted', 'accepted']);
    const rows = await db('check_results as r')
      .join('checks as ch', 'ch.id', 'r.check_id')
      .whereIn('ch.agent_id', [b.id, c.id])
      .whereIn('r.at', [when(25), when(26), when(61)])
      .orderBy('r.at')
      .select('ch.agent_id', 'r.batch_seq', 'r.status');
    expect(rows).toEqual([
      { agent_id: c.id, batch_seq: 5, status: 'failed' },
      { agent_id: c.id, batch_seq: 7, status: 'ok' },
      { agent_id: b.id, batch_seq: 7, status: 'ok' },
    ]);
  });

  it('locks checks without blocking foreign keys to them, as the rollup job adds rollups', async () => {
    const a = agents[0]!;
    const check = await db('checks').where({ agent_id: a.id, key: 'web' }).first();
    const spec = { agentId: a.id, tenantId: a.tenantId, branchId: a.branchId, key: 'web' };
    const locked = await new IngestRepository(db).transaction(async (tx) => {
      const [held] = await tx.lockChecks([{ ...spec, type: 'tcp', target: '127.0.0.1:9' }]);
      // Another connection writes a row that references the locked check (KEY SHARE on it);
      // under FOR UPDATE it would wait for this transaction, here it gives up after 3 s.
      await db.transaction(async (other) => {
        await other.raw(`SET LOCAL lock_timeout = '3s'`);
        await other('check_rollups').insert({
          check_id: check.id,
          period: '1h',
          // An hour without rounds: the rollup job running meanwhile never writes it.
          bucket: new Date(Math.floor(now / 3600_000 - 24 * 30) * 3600_000),
          rounds: 1,
          failed: 0,
          stats: {},
        });
      });
      return held?.id;
    });
    expect(locked).toBe(check.id);
  });

  /**
   * Failed rounds at 30..34 s, then good ones at 35..36 s, one per batch, all submitted
   * together, with another agent's batch among them and a replayed failure at the end.
   */
  async function failAndRecover(service: IngestService, d: AgentRow, other: AgentRow) {
    changes = [];
    const submitted = [30, 31, 32, 33, 34, 35, 36].map((s, i) =>
      service.storeBatch(d, batch(d.slug, 10 + i, [tcpResult('pbx', when(s), s >= 35)])),
    );
    const between = service.storeBatch(
      other,
      batch(other.slug, 100, [tcpResult('pbx', when(30), false)]),
    );
    const replay = service.storeBatch(
      d,
      batch(d.slug, 20, [tcpResult('pbx', when(40), false)], true),
    );
    expect(await Promise.all([...submitted, between, replay])).toEqual(Array(9).fill('accepted'));
    // Exactly the changes of batches committed one by one: failing at the third bad round,
    // ok at the second good one; the replayed failure moves the last result only.
    const mine = changes.filter((c) => c.agentId === d.id);
    expect(mine.map((c) => [c.from, c.to, c.at.toISOString(), c.since?.toISOString()])).toEqual([
      ['unknown', 'failing', when(32).toISOString(), when(30).toISOString()],
      ['failing', 'ok', when(36).toISOString(), when(30).toISOString()],
    ]);
    const check = await db('checks').where({ agent_id: d.id, key: 'pbx' }).first();
    expect(check).toMatchObject({
      state: 'ok',
      ok_streak: 2,
      fail_streak: 0,
      last_status: 'failed',
    });
    expect(check.last_result_at).toEqual(when(40));
    const written = (await writers(d)).filter(([seq]) => seq >= 10);
    expect(written.map(([seq]) => seq)).toEqual([10, 11, 12, 13, 14, 15, 16, 20]);
    return new Set(written.map(([, xid]) => xid)).size;
  }

  it("moves an agent's checks batch by batch, in order, within one group", async () => {
    expect(await failAndRecover(ingest, agents[3]!, agents[0]!)).toBe(1);
  });

  it("keeps an agent's order across groups when the group limit splits its batches", async () => {
    const small = new IngestService(
      new IngestRepository(db),
      events,
      new HubMetrics(),
      policy,
      timeseries,
      logger,
      { maxBatches: 3, maxWeight: 1000, concurrency: 2 },
    );
    // 8 batches of one agent, at most 3 in a group: 3 transactions, one after the other.
    expect(await failAndRecover(small, agents[4]!, agents[1]!)).toBe(3);
  });

  it("acknowledges a batch of first verdicts before emitting them; the agent's outage waits for them", async () => {
    const issued = await t.api.createAgent('first-verdicts', 'srv');
    const { passwordHash: _, ...agent } = (await new AgentRepository(db).findByUsername(
      issued.credentials.username,
    ))!;
    // A listener that is slow on first verdicts, as the incident service is under a flood.
    const slow = new EventBus(logger);
    const seen: string[] = [];
    let open!: () => void;
    const gate = new Promise<void>((resolve) => (open = resolve));
    slow.on('check.stateChanged', (c) => void seen.push(`${c.from}>${c.to}`));
    slow.on('check.firstVerdicts', async ({ changes }) => {
      seen.push(...changes.map((c) => `first ${c.from}>${c.to}`));
      await gate;
    });
    const metrics = new HubMetrics();
    const own = new IngestService(
      new IngestRepository(db),
      slow,
      metrics,
      policy,
      timeseries,
      logger,
    );
    const round = (seq: number, ok: boolean) =>
      own.storeBatch(agent, batch(agent.slug, seq, [tcpResult('up', when(100 + seq), ok)]));
    // Acknowledged while its change (unknown → ok) is still being emitted.
    expect(await round(1, true)).toBe('accepted');
    await waitFor('the first verdict emitted', async () => (seen.length ? true : undefined));
    expect(seen).toEqual(['first unknown>ok']);
    // Two failed rounds change nothing: acknowledged at once too.
    expect(await round(2, false)).toBe('accepted');
    expect(await round(3, false)).toBe('accepted');
    // The third turns the check failing: emitted after the first verdict, then acknowledged.
    let third = 'waiting';
    const failing = round(4, false).then((outcome) => (third = outcome));
    await new Promise((r) => setTimeout(r, 200));
    expect(third).toBe('waiting');
    expect(seen).toEqual(['first unknown>ok']);
    open();
    await failing;
    expect(third).toBe('accepted');
    expect(seen).toEqual(['first unknown>ok', 'ok>failing']);
    // Once the hub stops, first verdicts not emitted yet are dropped and counted.
    await own.settled();
    const fresh = batch(agent.slug, 5, [tcpResult('new', when(105), true)]);
    expect(await own.storeBatch(agent, fresh)).toBe('accepted');
    await own.settled();
    expect(seen).toEqual(['first unknown>ok', 'ok>failing']);
    expect((await metrics.firstVerdictsDropped.get()).values[0]?.value).toBe(1);
    expect(
      (await db('result_batches').where({ agent_id: agent.id }).orderBy('seq')).map((b) => b.seq),
    ).toEqual([1, 2, 3, 4, 5]);
  });

  it('does not acknowledge a batch the hub cannot store; batches published with it are', async () => {
    const names = ['mq-a', 'mq-b', 'mq-c'];
    const clients = await Promise.all(
      names.map(async (name) =>
        connectAgent(t.mqttUrl, (await t.api.createAgent(name, name)).credentials),
      ),
    );
    const topicOf = (name: string) =>
      topics.results({ tenant: 'default', branch: name, agent: name });
    // A round the database refuses: a trigger of this test's own raises on its reason.
    await db.raw(`CREATE FUNCTION refuse_poison() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF NEW.reason = 'poison' THEN RAISE EXCEPTION 'refused by the test'; END IF;
        RETURN NEW;
      END $$`);
    await db.raw(`CREATE TRIGGER refuse_poison BEFORE INSERT ON check_results
      FOR EACH ROW EXECUTE FUNCTION refuse_poison()`);
    const poisoned = { ...tcpResult('web', when(50), false), reason: 'poison' };
    const payloads = [
      batch('mq-a', 1, [tcpResult('web', when(50), true)]),
      batch('mq-b', 1, [poisoned]),
      batch('mq-c', 1, [tcpResult('web', when(50), true)]),
    ];
    const answers = clients.map(
      (client, i) =>
        new Promise<string>((resolve) => {
          client.once('close', () => resolve('closed without PUBACK'));
          client.publish(topicOf(names[i]!), JSON.stringify(payloads[i]), { qos: 1 }, (err) =>
            resolve(err ? `error ${err.message}` : 'acknowledged'),
          );
        }),
    );
    expect(await Promise.all(answers)).toEqual([
      'acknowledged',
      'closed without PUBACK',
      'acknowledged',
    ]);
    for (const client of clients) client.end(true);
    await db.raw('DROP TRIGGER refuse_poison ON check_results');
    await db.raw('DROP FUNCTION refuse_poison()');
    const stored = await db('result_batches as b')
      .join('agents as a', 'a.id', 'b.agent_id')
      .whereIn('a.slug', names)
      .orderBy('a.slug')
      .select('a.slug', 'b.seq');
    expect(stored).toEqual([
      { slug: 'mq-a', seq: 1 },
      { slug: 'mq-c', seq: 1 },
    ]);
  });
});
