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
import { silentLogger } from '../log.js';
import { Spool } from '../spool/spool.js';
import { Publisher } from './publisher.js';

const address = { tenant: 'acme', branch: 'hq', agent: 'srv-01' };

interface Broker {
  port: number;
  batches: ResultsBatch[];
  statuses: string[];
  close(): Promise<void>;
}

/** A real aedes broker in process, on a loopback port (0: any free one). */
async function startBroker(port = 0): Promise<Broker> {
  const broker = await Aedes.createBroker();
  const batches: ResultsBatch[] = [];
  const statuses: string[] = [];
  broker.on('publish', (packet, client) => {
    if (!client) return;
    if (packet.topic === topics.results(address)) {
      const decoded = decodeResultsBatch(packet.payload as Buffer);
      if (!decoded.ok) throw decoded.error;
      batches.push(decoded.value);
    } else if (packet.topic === topics.status(address)) {
      const decoded = decodeAgentStatus(packet.payload as Buffer);
      if (decoded.ok && packet.retain) statuses.push(decoded.value.state);
    }
  });
  const server: Server = createServer(broker.handle);
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  const bound = (server.address() as { port: number }).port;
  return {
    port: bound,
    batches,
    statuses,
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

async function setup(port: number) {
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
});
