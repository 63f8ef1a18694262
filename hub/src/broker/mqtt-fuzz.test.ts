import { randomInt } from 'node:crypto';
import type { MqttClient } from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { topics, type ProbeResult } from '@branchwatch/contract';
import { batch, tcpResult } from '../../../test/support/batches.js';
import { connectAgent, startTestHub, type TestHub } from '../../../test/support/hub.js';
import { connectDatabase, type Database } from '../db/database.js';

/**
 * A bounded random fuzz of MQTT from an authenticated agent (docs/security.md "Bounded
 * input"): tens of thousands of publishes, most hostile — bytes that are not JSON, truncated
 * and mistyped batches, nesting 5,000 deep, payloads of 300 kB, NUL and lone surrogates, rounds
 * in the year 9999, batches naming another agent or too many checks, sequence numbers used
 * before with other content, out of order, QoS 0, 1 and 2, retained, the status topic, and
 * topics outside the agent's subtree — with the agent's valid batches in between. The hub must
 * stay up, acknowledge every payload it refuses (counted) and close the connection of a
 * publish outside the subtree, store every valid batch it acknowledged exactly once, and store
 * nothing it refused.
 *
 * The seed is printed; `BW_MQTT_FUZZ_SEED=<seed>` replays a run, `BW_MQTT_FUZZ_PACKETS` sets
 * how many packets (20,000 by default). The run also stops after 150 s.
 */
const SEED = Number(process.env.BW_MQTT_FUZZ_SEED ?? randomInt(2 ** 31));
const PACKETS = Number(process.env.BW_MQTT_FUZZ_PACKETS ?? 20_000);
const TIME_LIMIT_MS = 150_000;
const IN_FLIGHT = 32;
const MAX_CHECKS = 50;

/** mulberry32: a small seeded generator, so that a seed replays the same packets. */
function generator(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    int: (n: number) => Math.floor(next() * n),
    pick: <T>(items: readonly T[]) => items[Math.floor(next() * items.length)]!,
  };
}

type Qos = 0 | 1 | 2;
interface Packet {
  topic: string;
  payload: Buffer;
  qos: Qos;
  retain: boolean;
  /** What the hub must do with it. */
  expect: 'stored' | 'refused' | 'denied' | 'duplicate' | 'status';
  seq?: number;
  rounds?: number;
}

let t: TestHub;
let db: Database;
const address = { tenant: 'default', branch: 'hq', agent: 'srv-01' };
let credentials: { username: string; password: string };

beforeAll(async () => {
  t = await startTestHub({ BW_INGEST_MAX_CHECKS_PER_AGENT: String(MAX_CHECKS) });
  db = connectDatabase(t.databaseUrl, { min: 0, max: 2 });
  credentials = (await t.api.createAgent('hq', 'srv-01')).credentials;
  // Another tenant's agent, whose subtree ours must not reach.
  await t.api.post('/api/v1/tenants', { slug: 'other', name: 'Other' });
  await t.api.post('/api/v1/branches', { slug: 'other-hq', tenant: 'other' });
}, 120_000);

afterAll(async () => {
  await db?.destroy();
  await t?.stop();
});

/** Every bw_ingest_rejected_total sample, summed, by reason. */
async function rejections(): Promise<Map<string, number>> {
  const text = await (await fetch(`${t.api.baseUrl}/metrics`)).text();
  const out = new Map<string, number>();
  for (const line of text.split('\n')) {
    const m = /^bw_ingest_rejected_total\{reason="([^"]+)"\} (\S+)$/.exec(line);
    if (m) out.set(m[1]!, Number(m[2]));
  }
  return out;
}

function packets(seed: number) {
  const r = generator(seed);
  const results = topics.results(address);
  let seq = 0;
  let tick = 0;
  const base = Math.floor(Date.now() / 1000) * 1000 - 3600_000;
  // Every tenth sequence number is held back and sent later, out of order.
  const heldBack: number[] = [];
  const sent: Packet[] = [];
  const freshSeq = () => {
    seq += 1;
    if (seq % 10 === 0) {
      heldBack.push(seq);
      seq += 1;
    }
    return seq;
  };
  const rounds = (n: number): ProbeResult[] =>
    Array.from({ length: n }, () => {
      tick += 1;
      return tcpResult(`fz-${r.int(20)}`, new Date(base + tick * 10), r.next() < 0.7);
    });
  const json = (value: unknown) => Buffer.from(JSON.stringify(value));
  const valid = (s: number, qos: Qos, retain = false): Packet => {
    const n = 1 + r.int(3);
    const body = batch(address.agent, s, rounds(n));
    // A NUL or a lone surrogate in a reason is repaired (U+FFFD) and stored.
    const twist = r.next();
    if (twist < 0.05) body.results[0] = { ...body.results[0]!, reason: 'no\u0000 route' };
    else if (twist < 0.1) body.results[0] = { ...body.results[0]!, reason: 'bad \ud800 byte' };
    return {
      topic: results,
      payload: json(body),
      qos,
      retain,
      expect: 'stored',
      seq: s,
      rounds: n,
    };
  };
  const hostile = (s: number): Buffer => {
    const good = batch(address.agent, s, rounds(1));
    switch (r.int(10)) {
      case 0:
        return Buffer.from(Array.from({ length: r.int(200) }, () => r.int(256)));
      case 1: {
        const text = JSON.stringify(good);
        return Buffer.from(text.slice(0, 1 + r.int(text.length - 1)));
      }
      case 2:
        return json({ ...good, seq: String(s), v: r.pick([0, 2, 'one']) });
      case 3:
        return Buffer.from('{"a":'.repeat(5_000) + '1' + '}'.repeat(5_000));
      case 4:
        return json({ ...good, results: 'x'.repeat(300_000) });
      case 5:
        return json(
          batch(address.agent, s, [tcpResult('far', new Date('9999-12-31T00:00:00Z'), true)]),
        );
      case 6:
        return json({ ...good, agent: 'someone-else' });
      case 7:
        return json(
          batch(
            address.agent,
            s,
            Array.from({ length: MAX_CHECKS + 1 }, (_, i) =>
              tcpResult(`many-${i}`, new Date(base), true),
            ),
          ),
        );
      case 8:
        return Buffer.from(JSON.stringify(good).replace('"v":1', '"v":1\u0000'));
      default:
        return json({
          ...good,
          results: [{ ...good.results[0], status: 'maybe', at: 'yesterday' }],
        });
    }
  };
  const deniedTopics = [
    topics.results({ tenant: 'other', branch: 'other-hq', agent: 'srv-01' }),
    topics.results({ ...address, agent: 'srv-02' }),
    topics.config(address),
    'bw/v1/default/hq',
    'bw/v2/default/hq/srv-01/results',
  ];
  return {
    sent,
    heldBack,
    next(): Packet {
      const roll = r.next();
      let p: Packet;
      if (roll < 0.4) p = valid(freshSeq(), r.pick([1, 1, 2] as const), r.next() < 0.1);
      else if (roll < 0.48 && heldBack.length > 0)
        p = valid(heldBack.splice(r.int(heldBack.length), 1)[0]!, 1);
      else if (roll < 0.56 && sent.some((x) => x.expect === 'stored' && x.qos > 0)) {
        // The same bytes again, or the same sequence number with other rounds: stored once.
        const earlier = r.pick(sent.filter((x) => x.expect === 'stored' && x.qos > 0));
        const payload =
          r.next() < 0.5 ? earlier.payload : json(batch(address.agent, earlier.seq!, rounds(2)));
        p = {
          topic: results,
          payload,
          qos: 1,
          retain: false,
          expect: 'duplicate',
          seq: earlier.seq,
        };
      } else if (roll < 0.9) {
        const s = freshSeq();
        p = {
          topic: results,
          payload: hostile(s),
          qos: r.pick([1, 1, 2] as const),
          retain: r.next() < 0.05,
          expect: 'refused',
          seq: s,
        };
      } else if (roll < 0.94) {
        // QoS 0: no answer to wait for; valid ones may be stored, refused ones never.
        const s = freshSeq();
        p =
          r.next() < 0.5
            ? valid(s, 0)
            : {
                topic: results,
                payload: hostile(s),
                qos: 0,
                retain: false,
                expect: 'refused',
                seq: s,
              };
      } else if (roll < 0.995) {
        const garbage =
          r.next() < 0.5
            ? Buffer.from('not a status')
            : json({ v: 1, agent: address.agent, state: 'sleeping' });
        p = {
          topic: topics.status(address),
          payload: garbage,
          qos: 1,
          retain: r.next() < 0.5,
          expect: 'status',
        };
      } else {
        // Outside the subtree: a valid batch, which must not be stored.
        const s = freshSeq();
        p = { ...valid(s, 1), topic: r.pick(deniedTopics), expect: 'denied' };
      }
      sent.push(p);
      return p;
    },
  };
}

/** An agent connection with room for a close listener per publish in flight. */
async function connect(): Promise<MqttClient> {
  const client = await connectAgent(t.mqttUrl, credentials);
  client.setMaxListeners(IN_FLIGHT + 10);
  return client;
}

/** Resolves on the acknowledgement (QoS 1 and 2) or once written (QoS 0); 'closed' if the hub closed. */
function send(client: MqttClient, p: Packet): Promise<'acked' | 'closed'> {
  return new Promise((resolve) => {
    const closed = () => resolve('closed');
    client.once('close', closed);
    client.publish(p.topic, p.payload, { qos: p.qos, retain: p.retain }, (err) => {
      client.off('close', closed);
      resolve(err ? 'closed' : 'acked');
    });
  });
}

describe('MQTT fuzz from an authenticated agent', () => {
  it('stays up, refuses what it must, and stores every valid batch once', async () => {
    console.log(
      `MQTT fuzz: seed ${SEED}, up to ${PACKETS} packets (replay: BW_MQTT_FUZZ_SEED=${SEED})`,
    );
    const where = `(seed ${SEED})`;
    const before = await rejections();
    const plan = packets(SEED);
    let client = await connect();
    const started = Date.now();
    const problems: string[] = [];
    let count = 0;
    let window: Promise<void>[] = [];
    const drain = async () => {
      await Promise.all(window);
      window = [];
    };
    while (count < PACKETS && Date.now() - started < TIME_LIMIT_MS) {
      const p = plan.next();
      count += 1;
      if (p.expect === 'denied') {
        await drain();
        const answer = await send(client, p);
        if (answer !== 'closed') problems.push(`#${count} to ${p.topic}: not closed ${where}`);
        client.end(true);
        client = await connect();
        continue;
      }
      const n = count;
      window.push(
        send(client, p).then((answer) => {
          if (answer !== 'acked')
            problems.push(`#${n} (${p.expect}, QoS ${p.qos}) on ${p.topic}: ${answer} ${where}`);
        }),
      );
      if (window.length >= IN_FLIGHT) await drain();
      if (problems.length > 20) break;
    }
    await drain();
    // One last valid batch, acknowledged: everything before it was handled.
    client.end(true);
    client = await connect();
    const closing = batch(address.agent, 10_000_000, [tcpResult('fz-last', new Date(), true)]);
    const lastPacket: Packet = {
      topic: topics.results(address),
      payload: Buffer.from(JSON.stringify(closing)),
      qos: 1,
      retain: false,
      expect: 'stored',
      seq: 10_000_000,
      rounds: 1,
    };
    expect(await send(client, lastPacket)).toBe('acked');
    client.end(true);
    const seconds = (Date.now() - started) / 1000;
    const kinds = Object.entries(
      plan.sent.reduce<Record<string, number>>((acc, p) => {
        const kind = `${p.expect} QoS ${p.qos}`;
        acc[kind] = (acc[kind] ?? 0) + 1;
        return acc;
      }, {}),
    )
      .map(([kind, n]) => `${kind}: ${n}`)
      .join(', ');
    console.log(`MQTT fuzz: ${count} packets in ${seconds.toFixed(1)} s ${where} — ${kinds}`);
    expect(problems, where).toEqual([]);
    expect(count, `too few packets in the time bound ${where}`).toBeGreaterThanOrEqual(
      Math.min(PACKETS, 2_000),
    );

    // The hub is up and ready.
    expect((await fetch(`${t.api.baseUrl}/readyz`)).status, where).toBe(200);

    // Exactly the valid batches are stored, each once, with exactly their rounds.
    const storedRows = (await db('result_batches').select('seq', 'result_count')) as {
      seq: string;
      result_count: number;
    }[];
    const storedSeqs = new Map(storedRows.map((row) => [Number(row.seq), row.result_count]));
    const mustStore = plan.sent.filter((p) => p.expect === 'stored' && p.qos > 0);
    const mayStore = new Set(plan.sent.filter((p) => p.expect === 'stored').map((p) => p.seq!));
    mayStore.add(10_000_000);
    const missing = mustStore.filter((p) => storedSeqs.get(p.seq!) !== p.rounds);
    expect(
      missing.map((p) => p.seq),
      `acknowledged, not stored as sent ${where}`,
    ).toEqual([]);
    const unexpected = [...storedSeqs.keys()].filter((s) => !mayStore.has(s));
    expect(unexpected, `stored although refused ${where}`).toEqual([]);
    const rounds = [...storedSeqs.values()].reduce((a, b) => a + b, 0);
    const rows = Number(
      ((await db('check_results').count('* as n'))[0] as { n: string | number }).n,
    );
    expect(rows, `rounds stored twice or refused rounds stored ${where}`).toBe(rounds);
    const checks = await db('checks').pluck('key');
    expect(
      checks.filter((k: string) => !/^fz-/.test(k)),
      where,
    ).toEqual([]);

    // Every refusal was counted with the contract's reason; every denied topic as topic_denied.
    const after = await rejections();
    const delta = (reason: string) => (after.get(reason) ?? 0) - (before.get(reason) ?? 0);
    const reasons = new Set([...after.keys()]);
    const refusedCounted = [...reasons]
      .filter((x) => x !== 'topic_denied')
      .reduce((sum, x) => sum + delta(x), 0);
    const refused = plan.sent.filter((p) => p.expect === 'refused' || p.expect === 'status');
    const refusedAcked = refused.filter((p) => p.qos > 0).length;
    expect(refusedCounted, `refusals counted ${where}`).toBeGreaterThanOrEqual(refusedAcked);
    expect(refusedCounted, `refusals counted ${where}`).toBeLessThanOrEqual(refused.length);
    expect(delta('topic_denied'), where).toBe(
      plan.sent.filter((p) => p.expect === 'denied').length,
    );
  }, 300_000);
});
