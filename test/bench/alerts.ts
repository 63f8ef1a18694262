/**
 * Alert → ticket benchmark (`pnpm bench:alerts [-- --agents 100 --spread 50]`), not part of
 * `pnpm test` ("Figures": p99 from the deciding result's commit to the ticket row, goal
 * under 1 s). Driven through MQTT against the real hub: each simulated agent (its own branch,
 * one check) sends BW_ALERT_FAIL_ROUNDS failed rounds in a row; the last one decides. The figure
 * per ticket is tickets.opened_at − result_batches.received_at of that deciding batch, both
 * written by the hub's database clock (received_at is the ingest transaction's now(), a hair
 * before its commit, so the figure errs high, not low).
 */
import { parseArgs } from 'node:util';
import mqtt from 'mqtt';
import { topics } from '@branchwatch/contract';
import { createAgents, percentile, readText, startBenchHub, until } from './hub-bench.js';

const { values: args } = parseArgs({
  args: process.argv.slice(2).filter((a) => a !== '--'),
  options: {
    agents: { type: 'string', default: '100' },
    // Milliseconds between one agent's deciding round and the next one's.
    spread: { type: 'string', default: '50' },
  },
});
const AGENTS = Number(args.agents);
const SPREAD_MS = Number(args.spread);
const FAIL_ROUNDS = 3; // BW_ALERT_FAIL_ROUNDS, set below

const bench = await startBenchHub({
  external: false,
  env: { BW_ALERT_FAIL_ROUNDS: String(FAIL_ROUNDS) },
});
try {
  const agents = await createAgents(bench.baseUrl, AGENTS, 'alert');
  const clients = await Promise.all(
    agents.map(
      (a) =>
        new Promise<mqtt.MqttClient>((resolve, reject) => {
          const c = mqtt.connect(bench.agentUrl, {
            clientId: a.username,
            username: a.username,
            password: a.password,
            protocolVersion: 4,
            reconnectPeriod: 0,
            connectTimeout: 120_000,
          });
          c.once('connect', () => resolve(c));
          c.once('error', reject);
        }),
    ),
  );
  const round = (agent: string, seq: number, at: number) =>
    JSON.stringify({
      v: 1,
      agent,
      seq,
      sentAt: new Date().toISOString(),
      replayed: false,
      results: [
        {
          check: 'wan-peer',
          type: 'icmp',
          target: '192.0.2.1',
          at: new Date(at).toISOString(),
          status: 'failed',
          reason: 'no reply',
          fields: {
            sent: 5,
            received: 0,
            loss: 100,
            min: null,
            median: null,
            p95: null,
            max: null,
            jitter: null,
          },
        },
      ],
    });
  const publish = (client: mqtt.MqttClient, topic: string, payload: string) =>
    new Promise<void>((resolve, reject) =>
      client.publish(topic, payload, { qos: 1 }, (e) => (e ? reject(e) : resolve())),
    );

  // The rounds before the deciding one, all agents at once: they open nothing yet.
  const t0 = Date.now() - FAIL_ROUNDS * 10_000;
  await Promise.all(
    clients.map(async (client, i) => {
      const a = agents[i]!;
      for (let seq = 1; seq < FAIL_ROUNDS; seq++)
        await publish(
          client,
          topics.results(a.address),
          round(a.address.agent, seq, t0 + seq * 10_000),
        );
    }),
  );
  const open = async () => Number((await bench.db('tickets').count({ n: '*' }))[0]!.n);
  if ((await open()) !== 0) throw new Error('a ticket opened before the deciding round');
  const stored = Number((await bench.db('result_batches').count({ n: '*' }))[0]!.n);
  if (stored !== AGENTS * (FAIL_ROUNDS - 1))
    throw new Error(`${stored} batches stored, expected ${AGENTS * (FAIL_ROUNDS - 1)}`);

  // The deciding rounds, one agent every SPREAD_MS.
  const started = Date.now();
  await Promise.all(
    clients.map(async (client, i) => {
      await new Promise((r) => setTimeout(r, i * SPREAD_MS));
      const a = agents[i]!;
      await publish(
        client,
        topics.results(a.address),
        round(a.address.agent, FAIL_ROUNDS, Date.now()),
      );
    }),
  );
  await until(async () => (await open()) >= AGENTS, 120_000, 100).catch(async (err: unknown) => {
    const count = async (table: string) => Number((await bench.db(table).count({ n: '*' }))[0]!.n);
    console.error(
      `tickets ${await open()}, batches ${await count('result_batches')}, ` +
        `results ${await count('check_results')}; hub log:\n` +
        (await readText(`${bench.work}/hub.log`)).slice(-3000),
    );
    throw err;
  });
  const elapsed = Date.now() - started;

  const { rows } = await bench.db.raw<{ rows: { ms: number }[] }>(
    `SELECT extract(epoch FROM t.opened_at - b.received_at) * 1000 AS ms
       FROM tickets t JOIN result_batches b ON b.agent_id = t.agent_id AND b.seq = ?
      WHERE t.source = 'alert'`,
    [FAIL_ROUNDS],
  );
  for (const c of clients) c.end(true);
  const ms = rows.map((r) => Number(r.ms)).sort((a, b) => a - b);
  if (ms.length !== AGENTS) throw new Error(`${ms.length} alert tickets, expected ${AGENTS}`);
  console.log(
    `alert → ticket: ${AGENTS} checks failing (${FAIL_ROUNDS} rounds to open), deciding rounds ${SPREAD_MS} ms apart, all tickets after ${elapsed} ms`,
  );
  console.log(
    `  deciding batch committed → ticket row: p50 ${Math.round(percentile(ms, 50))} ms, ` +
      `p99 ${Math.round(percentile(ms, 99))} ms, max ${Math.round(ms.at(-1)!)} ms (goal p99 < 1000 ms)`,
  );
} finally {
  await bench.stop();
}
