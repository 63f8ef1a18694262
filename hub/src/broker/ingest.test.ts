import type { MqttClient } from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_RESULTS_BYTES, topics } from '@branchwatch/contract';
import { batch, tcpResult } from '../../../test/support/batches.js';
import { waitFor } from '../../../test/support/http.js';
import { connectAgent, publish, startTestHub, type TestHub } from '../../../test/support/hub.js';
import { metric } from '../../../test/support/metrics.js';
import { connectDatabase, type Database } from '../db/database.js';

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
      events: { kind: string; body: string }[];
    }>(`/api/v1/tickets/${opened!.id}`);
    expect(ticket.state).toBe('resolved');
    expect(events.map((e) => e.kind)).toEqual(['opened', 'recovered', 'resolved']);
    expect(events[0]!.body).toContain(`Failing since ${at(110).toISOString()}: connection refused`);
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
