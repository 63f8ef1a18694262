import mqtt, { type MqttClient } from 'mqtt';
import type { Knex } from 'knex';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { topics } from '@branchwatch/contract';
import { batch, tcpResult } from '../../../test/support/batches.js';
import { waitFor } from '../../../test/support/http.js';
import { connectAgent, startTestHub, type TestHub } from '../../../test/support/hub.js';
import { metric } from '../../../test/support/metrics.js';
import { connectDatabase, type Database } from '../db/database.js';

// A hub whose ingest queue holds two batches: the bound is what these tests are about.
let t: TestHub;
let db: Database;
const clients: MqttClient[] = [];
const when = (second: number) => new Date(Date.now() - 600_000 + second * 1000);

beforeAll(async () => {
  t = await startTestHub({ BW_INGEST_QUEUE_BATCHES: '2' });
  db = connectDatabase(t.databaseUrl);
});
/** Locks taken by a test; a failing test must not leave them held (the hub's stop would wait). */
const locks: Knex.Transaction[] = [];
const lockTable = async (table: string) => {
  const lock = await db.transaction();
  locks.push(lock);
  await lock.raw(`LOCK TABLE ${table} IN EXCLUSIVE MODE`);
  return lock;
};
afterEach(async () => {
  for (const lock of locks.splice(0)) if (!lock.isCompleted()) await lock.rollback();
});
afterAll(async () => {
  for (const c of clients) c.end(true);
  await db?.destroy();
  await t?.stop();
});

const topicOf = (name: string) => topics.results({ tenant: 'default', branch: name, agent: name });
const queue = async () => ({
  held: await metric(t.api.baseUrl, 'bw_ingest_queue_batches{state="held"}'),
  waiting: await metric(t.api.baseUrl, 'bw_ingest_queue_batches{state="waiting"}'),
});
/** Per stage of bw_ingest_batch_seconds: batches counted and seconds spent. */
const stages = async () => {
  const of = async (stage: string) => ({
    count: await metric(t.api.baseUrl, `bw_ingest_batch_seconds_count{stage="${stage}"}`),
    sum: await metric(t.api.baseUrl, `bw_ingest_batch_seconds_sum{stage="${stage}"}`),
  });
  return {
    admission: await of('admission'),
    group: await of('group'),
    commit: await of('commit'),
    total: await of('total'),
  };
};
const ledger = (names: string[]) =>
  db('result_batches as b')
    .join('agents as a', 'a.id', 'b.agent_id')
    .whereIn('a.slug', names)
    .orderBy(['a.slug', 'b.seq'])
    .select('a.slug', 'b.seq');
const roundsOf = async (name: string) =>
  Number(
    (
      await db('check_results as r')
        .join('checks as c', 'c.id', 'r.check_id')
        .join('agents as a', 'a.id', 'c.agent_id')
        .where('a.slug', name)
        .count<{ count: string }[]>({ count: '*' })
    )[0]!.count,
  );

describe('the bounded ingest queue', () => {
  it('holds two batches while the database is slow; the rest wait unread and none is acknowledged before its commit', async () => {
    const names = ['bp-a', 'bp-b', 'bp-c', 'bp-d', 'bp-e'];
    for (const name of names) {
      const issued = await t.api.createAgent(name, name);
      clients.push(await connectAgent(t.mqttUrl, issued.credentials));
    }
    const agents = clients.slice(-names.length);
    const fullBefore = await metric(t.api.baseUrl, 'bw_ingest_queue_full_total');
    const stagesBefore = await stages();
    // The ledger locked: every commit waits until this transaction ends.
    const lock = await lockTable('result_batches');
    const acked: string[] = [];
    const answers = agents.map(
      (client, i) =>
        new Promise<void>((resolve, reject) =>
          client.publish(
            topicOf(names[i]!),
            JSON.stringify(
              batch(names[i]!, 1, [
                tcpResult('web', when(i), true),
                tcpResult('dns', when(i), true),
              ]),
            ),
            { qos: 1 },
            (err) => (err ? reject(err) : (acked.push(names[i]!), resolve())),
          ),
        ),
    );
    await waitFor('two batches held and three waiting', async () => {
      const q = await queue();
      return q.held === 2 && q.waiting === 3 ? true : undefined;
    });
    expect(await metric(t.api.baseUrl, 'bw_ingest_queue_full_total')).toBe(fullBefore + 3);
    expect(acked).toEqual([]);
    // From here to the lock's end, two batches sit in their commit and three wait for room.
    const heldFrom = performance.now();
    await new Promise((r) => setTimeout(r, 200));
    const heldFor = (performance.now() - heldFrom) / 1000;
    await lock.commit();
    await Promise.all(answers);
    // Where the time went, as the hub reports it: the lock in `commit`, the full queue in
    // `admission`, and every batch counted once in each stage.
    const spent = await stages();
    for (const stage of ['admission', 'group', 'commit', 'total'] as const) {
      expect(spent[stage].count - stagesBefore[stage].count).toBe(5);
    }
    expect(spent.commit.sum - stagesBefore.commit.sum).toBeGreaterThanOrEqual(2 * heldFor);
    expect(spent.admission.sum - stagesBefore.admission.sum).toBeGreaterThanOrEqual(3 * heldFor);
    expect(spent.total.sum - stagesBefore.total.sum).toBeGreaterThanOrEqual(5 * heldFor);
    expect(acked.sort()).toEqual(names);
    expect(await queue()).toEqual({ held: 0, waiting: 0 });
    expect(await ledger(names)).toEqual(names.map((slug) => ({ slug, seq: 1 })));
    for (const name of names) expect(await roundsOf(name)).toBe(2);
  });

  it('does not acknowledge a batch whose transaction died; the agent resends it, and it is stored once', async () => {
    const name = 'bp-killed';
    const issued = await t.api.createAgent(name, name);
    // An agent that reconnects by itself and resends what was not acknowledged.
    const client = await new Promise<MqttClient>((resolve, reject) => {
      const c = mqtt.connect(t.mqttUrl, {
        clientId: issued.credentials.username,
        username: issued.credentials.username,
        password: issued.credentials.password,
        protocolVersion: 4,
        reconnectPeriod: 100,
        connectTimeout: 5000,
      });
      c.once('connect', () => resolve(c));
      c.once('error', reject);
    });
    clients.push(client);
    // mqtt.js emits 'connect' again only once what it resends is acknowledged: count packets.
    let publishes = 0;
    client.on('packetsend', (packet) => packet.cmd === 'publish' && publishes++);
    const accepted = () => metric(t.api.baseUrl, 'bw_ingest_batches_total{outcome="accepted"}');
    const acceptedBefore = await accepted();
    const errorsBefore = await metric(t.api.baseUrl, 'bw_ingest_errors_total');
    // The checks locked: the batch's transaction claims it in the ledger, then waits here.
    const lock = await lockTable('checks');
    let pubacks = 0;
    const answer = new Promise<void>((resolve, reject) =>
      client.publish(
        topicOf(name),
        JSON.stringify(
          batch(name, 1, [tcpResult('web', when(30), true), tcpResult('dns', when(30), true)]),
        ),
        { qos: 1 },
        (err) => (err ? reject(err) : (pubacks++, resolve())),
      ),
    );
    const waitingBackend = async () => {
      const { rows } = await db.raw<{ rows: { pid: number }[] }>(
        `SELECT pid FROM pg_stat_activity
          WHERE datname = current_database() AND wait_event_type = 'Lock' AND pid <> pg_backend_pid()`,
      );
      return rows[0]?.pid;
    };
    const first = await waitFor('the batch waiting for the checks', waitingBackend);
    // Its batch is claimed in the ledger inside that transaction: the database dies under it.
    await db.raw('SELECT pg_terminate_backend(?)', [first]);
    // The hub closes the agent's connection without a PUBACK; the agent comes back and resends.
    await waitFor('the agent back and its batch resent', async () =>
      publishes >= 2 ? await waitingBackend() : undefined,
    );
    expect(pubacks).toBe(0);
    expect(await metric(t.api.baseUrl, 'bw_ingest_errors_total')).toBe(errorsBefore + 1);
    await lock.commit();
    await answer;
    expect(pubacks).toBe(1);
    expect(await ledger([name])).toEqual([{ slug: name, seq: 1 }]);
    expect(await roundsOf(name)).toBe(2);
    expect(await accepted()).toBe(acceptedBefore + 1);
  });
});
