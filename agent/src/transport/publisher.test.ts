import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  decodeAgentStatus,
  decodeResultsBatch,
  topics,
  type ProbeResult,
  type ResultsBatch,
} from '@branchwatch/contract';
import { Aedes } from 'aedes';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createLogger, silentLogger } from '../log.js';
import { Spool } from '../spool/spool.js';
import { Publisher, type PublisherOptions } from './publisher.js';

const address = { tenant: 'acme', branch: 'hq', agent: 'srv-01' };

interface Broker {
  port: number;
  batches: ResultsBatch[];
  statuses: string[];
  /** The spool each retained status reported, in order (undefined: none). */
  spools: unknown[];
  close(): Promise<void>;
}

/**
 * Decides each CONNECT: null accepts it, a number refuses it with that CONNACK return code
 * (3 "Server unavailable", 4 "Bad user name or password", …), as the hub's broker does.
 */
type Gate = () => number | null;

/** A real aedes broker in process, on a loopback port (0: any free one). */
async function startBroker(port = 0, gate: Gate = () => null): Promise<Broker> {
  const broker = await Aedes.createBroker({
    authenticate(_client, _username, _password, done) {
      const refusal = gate();
      if (refusal === null) return done(null, true);
      done(Object.assign(new Error('refused by the test'), { returnCode: refusal }), false);
    },
  });
  const batches: ResultsBatch[] = [];
  const statuses: string[] = [];
  const spools: unknown[] = [];
  broker.on('publish', (packet, client) => {
    if (!client) return;
    if (packet.topic === topics.results(address)) {
      const decoded = decodeResultsBatch(packet.payload as Buffer);
      if (!decoded.ok) throw decoded.error;
      batches.push(decoded.value);
    } else if (packet.topic === topics.status(address)) {
      const decoded = decodeAgentStatus(packet.payload as Buffer);
      if (decoded.ok && packet.retain) {
        statuses.push(decoded.value.state);
        spools.push(decoded.value.spool);
      }
    }
  });
  const server: Server = createServer(broker.handle);
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  const bound = (server.address() as { port: number }).port;
  return {
    port: bound,
    batches,
    statuses,
    spools,
    close: async () => {
      await new Promise<void>((resolve) => broker.close(() => resolve()));
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

async function waitFor(what: string, condition: () => boolean, timeoutMs = 8000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(20);
  }
}

const result = (check: string): ProbeResult => ({
  check,
  type: 'tcp',
  target: '127.0.0.1:22',
  at: new Date().toISOString(),
  status: 'ok',
  fields: { connect: 0.2 },
});

let dir: string;
const cleanups: (() => Promise<void>)[] = [];
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'bw-pub-'));
});
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  await rm(dir, { recursive: true, force: true });
});

async function setup(port: number, options: Partial<PublisherOptions> = {}) {
  const spool = await Spool.open({ dir, maxBytes: 4 * 1024 * 1024, log: silentLogger });
  const publisher = new Publisher({
    url: `mqtt://127.0.0.1:${port}`,
    username: 'srv-01',
    password: 'secret',
    address,
    spool,
    batchIntervalSeconds: 5,
    log: silentLogger,
    version: '0.0.0-test',
    reconnectPeriodMs: 100,
    ...options,
  });
  cleanups.push(() => publisher.stop());
  return { spool, publisher };
}

describe('Publisher against a real aedes broker', () => {
  it('sends pending batches oldest first and removes each one once acknowledged', async () => {
    const broker = await startBroker();
    cleanups.push(broker.close);
    const { spool, publisher } = await setup(broker.port);
    for (const id of ['a', 'b', 'c']) await spool.append([result(id)]);
    publisher.start();
    await waitFor('an empty spool', () => spool.pending().length === 0);

    expect(broker.batches.map((b) => [b.seq, b.agent, b.replayed, b.results[0]!.check])).toEqual([
      [0, 'srv-01', false, 'a'],
      [1, 'srv-01', false, 'b'],
      [2, 'srv-01', false, 'c'],
    ]);
    expect(publisher.stats()).toMatchObject({ connected: true, acked: 3, failed: 0, inFlight: 0 });
    await waitFor('the online status', () => broker.statuses.includes('online'));

    await spool.append([result('d')]);
    publisher.notify();
    await waitFor('the new batch', () => broker.batches.length === 4);
    await waitFor('its removal', () => spool.pending().length === 0);

    await publisher.stop();
    await waitFor('the offline status', () => broker.statuses.at(-1) === 'offline');
    // A clean stop says what the spool holds as it goes.
    expect(broker.spools.at(-1)).toEqual({
      pendingBatches: 0,
      droppedBatches: 0,
      droppedResults: 0,
    });
  });

  it('keeps batches while the broker is gone and delivers them when it is back', async () => {
    const first = await startBroker();
    const port = first.port;
    const { spool, publisher } = await setup(port);
    publisher.start();
    await spool.append([result('before')]);
    publisher.notify();
    await waitFor(
      'the first batch',
      () => first.batches.length === 1 && spool.pending().length === 0,
    );

    await first.close();
    await waitFor('the disconnect', () => !publisher.stats().connected);
    for (const id of ['down-1', 'down-2', 'down-3']) {
      await spool.append([result(id)]);
      publisher.notify();
    }
    await sleep(300);
    expect(spool.pending().map((e) => e.seq)).toEqual([1, 2, 3]);

    const second = await startBroker(port);
    cleanups.push(second.close);
    await waitFor('the backlog', () => spool.pending().length === 0);
    const delivered = new Set([...first.batches, ...second.batches].map((b) => b.seq));
    expect([...delivered].sort()).toEqual([0, 1, 2, 3]);
    expect(second.batches.map((b) => b.results[0]!.check)).toEqual(['down-1', 'down-2', 'down-3']);
  });

  it('flags batches left over from an earlier run as replayed', async () => {
    const earlier = await Spool.open({ dir, maxBytes: 4 * 1024 * 1024, log: silentLogger });
    await earlier.append([result('old')]);
    const broker = await startBroker();
    cleanups.push(broker.close);
    const { spool, publisher } = await setup(broker.port);
    await spool.append([result('new')]);
    publisher.start();
    await waitFor('an empty spool', () => spool.pending().length === 0);
    expect(broker.batches.map((b) => [b.seq, b.replayed])).toEqual([
      [0, true],
      [1, false],
    ]);
  });

  it('comes back by itself after the broker refused it with "Server unavailable" for a while', async () => {
    // The hub answers CONNACK 3 while its database is down; mqtt.js alone stops trying after
    // the first refusal.
    let refusing = true;
    const refusedAt: number[] = [];
    const broker = await startBroker(0, () => {
      if (!refusing) return null;
      refusedAt.push(Date.now());
      return 3;
    });
    cleanups.push(broker.close);
    const lines: Record<string, unknown>[] = [];
    const log = createLogger({ level: 'debug', write: (l) => lines.push(JSON.parse(l)) });
    const { spool, publisher } = await setup(broker.port, {
      log,
      reconnectPeriodMs: 50,
      maxReconnectDelayMs: 400,
    });
    for (const id of ['a', 'b', 'c']) await spool.append([result(id)]);
    publisher.start();
    await waitFor('five refusals', () => refusedAt.length >= 5);
    expect(publisher.stats().connected).toBe(false);
    refusing = false;
    await waitFor('the spooled batches', () => spool.pending().length === 0);

    expect(broker.batches.map((b) => b.results[0]!.check)).toEqual(['a', 'b', 'c']);
    // Backoff: the delays between refusals grow (each at least half of its doubled ceiling).
    const gaps = refusedAt.slice(1).map((t, i) => t - refusedAt[i]!);
    expect(gaps[3]!).toBeGreaterThanOrEqual(200);
    // One line for the refusal, however many attempts, then one for the connection.
    const said = lines.filter((l) => l.level !== 'debug').map((l) => [l.level, l.msg, l.code]);
    expect(said).toEqual([
      [
        'warn',
        'the broker refused the connection for now: server unavailable; retrying with backoff; batches wait in the spool',
        3,
      ],
      ['info', 'connected to broker', undefined],
    ]);
    expect(lines.filter((l) => l.level === 'debug').length).toBe(refusedAt.length - 1);
    expect(lines.find((l) => l.level === 'warn')).toMatchObject({ attempts: 1 });
    expect(lines.at(-1)).toMatchObject({ attempts: refusedAt.length + 1 });
  });

  it('logs a refusal of its credentials as an error and still retries it, slowly', async () => {
    let refusal: number | null = 4;
    const attemptsAt: number[] = [];
    const broker = await startBroker(0, () => {
      attemptsAt.push(Date.now());
      return refusal;
    });
    cleanups.push(broker.close);
    const lines: Record<string, unknown>[] = [];
    const log = createLogger({ write: (l) => lines.push(JSON.parse(l)) });
    const { spool, publisher } = await setup(broker.port, {
      log,
      reconnectPeriodMs: 20,
      refusedReconnectDelayMs: 800,
    });
    await spool.append([result('kept')]);
    publisher.start();
    await waitFor('two refused attempts', () => attemptsAt.length >= 2);
    // Not the 20 ms of a temporary failure: at least half the slow delay.
    expect(attemptsAt[1]! - attemptsAt[0]!).toBeGreaterThanOrEqual(400);
    expect(lines).toEqual([
      expect.objectContaining({
        level: 'error',
        msg:
          "the broker refused the agent: bad user name or password (check hub.username and hub.password, and the agent's account on the hub); " +
          'retrying every few minutes; batches wait in the spool',
        code: 4,
      }),
    ]);
    expect(lines[0]!.retryInMs).toBeGreaterThanOrEqual(400);
    expect(lines[0]!.retryInMs).toBeLessThanOrEqual(800);

    refusal = null; // the account was fixed on the hub
    await waitFor('the spooled batch', () => spool.pending().length === 0);
    expect(broker.batches.map((b) => b.results[0]!.check)).toEqual(['kept']);
    expect(lines.at(-1)).toMatchObject({ level: 'info', msg: 'connected to broker' });
  });
});
