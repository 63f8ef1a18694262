import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { topics } from '@branchwatch/contract';
import { batch, tcpResult } from '../../../test/support/batches.js';
import { connectAgent, publish, startTestHub, type TestHub } from '../../../test/support/hub.js';
import { metric } from '../../../test/support/metrics.js';

/**
 * The embedded broker against sockets that do not play fair: a CONNECT announcing 250 MiB,
 * more connections from one address than allowed, and an address that keeps failing to log in.
 * Each test speaks from a loopback address of its own (127.0.0.x), as separate clients would.
 */
let t: TestHub;
let strict: TestHub;
const MiB = 1024 * 1024;

beforeAll(async () => {
  t = await startTestHub();
  strict = await startTestHub({
    BW_MQTT_MAX_CONNECTIONS_PER_ADDRESS: '3',
    BW_MQTT_MAX_AUTH_FAILURES_PER_ADDRESS: '3',
  });
});
afterAll(async () => {
  await t?.stop();
  await strict?.stop();
});

const rejected = (hub: TestHub, reason: string) =>
  metric(hub.api.baseUrl, `bw_ingest_rejected_total{reason="${reason}"}`);

function rawSocket(hub: TestHub, localAddress: string): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host: '127.0.0.1', port: hub.hub.mqttPort, localAddress });
    socket.once('connect', () => resolve(socket));
    socket.once('error', reject);
  });
}

const closed = (socket: net.Socket) =>
  new Promise<void>((resolve) => {
    if (socket.destroyed) return resolve();
    socket.once('close', () => resolve());
  });

/** MQTT remaining length (MQTT 3.1.1 §2.2.3): 7 bits a byte, the high bit says more follow. */
function remainingLength(n: number): Buffer {
  const bytes: number[] = [];
  do {
    let byte = n % 128;
    n = Math.floor(n / 128);
    if (n > 0) byte |= 0x80;
    bytes.push(byte);
  } while (n > 0);
  return Buffer.from(bytes);
}

/** Writes `chunk` until the peer closes or `limit` bytes are written; returns what was written. */
async function flood(socket: net.Socket, chunk: Buffer, limit: number): Promise<number> {
  let written = 0;
  socket.on('error', () => undefined);
  while (written < limit && !socket.destroyed) {
    const more = socket.write(chunk);
    written += chunk.length;
    if (!more) {
      await Promise.race([
        new Promise((r) => socket.once('drain', r)),
        closed(socket),
        new Promise((r) => setTimeout(r, 2000)),
      ]);
    }
  }
  return written;
}

describe('packet size', () => {
  it('closes a connection whose CONNECT announces 250 MiB, before reading it', async () => {
    const before = await rejected(t, 'packet_too_large');
    global.gc?.();
    const rss = process.memoryUsage().rss;
    const socket = await rawSocket(t, '127.0.0.11');
    // CONNECT (type 1), announcing 250 MiB, then as much of it as the hub will take.
    socket.write(Buffer.concat([Buffer.from([0x10]), remainingLength(250 * MiB)]));
    const written = await flood(socket, Buffer.alloc(MiB, 0x61), 64 * MiB);
    await closed(socket);
    // Refused at the fixed header: the hub kept none of it. Before the bound aedes buffered
    // every byte sent (64 MiB here); what is left is what the kernel took into its buffers.
    const grown = process.memoryUsage().rss - rss;
    console.log(
      `250 MiB CONNECT: ${written / MiB} MiB written, RSS grew ${(grown / MiB).toFixed(1)} MiB`,
    );
    expect(written).toBeLessThan(32 * MiB);
    expect(grown).toBeLessThan(32 * MiB);
    expect(await rejected(t, 'packet_too_large')).toBe(before + 1);
    // The broker still serves agents.
    const issued = await t.api.createAgent('size-hq', 'size-01');
    const agent = await connectAgent(t.mqttUrl, issued.credentials);
    const address = { tenant: 'default', branch: 'size-hq', agent: 'size-01' };
    await publish(
      agent,
      topics.results(address),
      JSON.stringify(batch('size-01', 1, [tcpResult('web', new Date(), true)])),
    );
    agent.end(true);
  });

  it('lets an authenticated agent send a packet of a full results payload (1 MiB)', async () => {
    const issued = await t.api.createAgent('size-hq2', 'size-02');
    const agent = await connectAgent(t.mqttUrl, issued.credentials);
    const address = { tenant: 'default', branch: 'size-hq2', agent: 'size-02' };
    const before = await rejected(t, 'too_large');
    // Over the contract's 1 MiB: acknowledged and counted as too_large, not a closed connection.
    await publish(agent, topics.results(address), Buffer.alloc(MiB + 10, 0x20));
    expect(await rejected(t, 'too_large')).toBe(before + 1);
    agent.end(true);
  });
});

describe('connections per address', () => {
  it('closes connections past the bound from one address; others are served', async () => {
    const before = await rejected(strict, 'too_many_connections');
    const held = await Promise.all([1, 2, 3].map(() => rawSocket(strict, '127.0.0.12')));
    const extra = await rawSocket(strict, '127.0.0.12');
    await closed(extra);
    expect(await rejected(strict, 'too_many_connections')).toBe(before + 1);
    // Another address is not affected, and a freed slot is taken again.
    const other = await rawSocket(strict, '127.0.0.13');
    held[0]!.destroy();
    await new Promise((r) => setTimeout(r, 200));
    const again = await rawSocket(strict, '127.0.0.12');
    await new Promise((r) => setTimeout(r, 200));
    expect([again.destroyed, other.destroyed]).toEqual([false, false]);
    for (const s of [...held, again, other]) s.destroy();
  });
});

describe('failed logins per address', () => {
  it('refuses an address that keeps failing without checking more passwords', async () => {
    const issued = await strict.api.createAgent('guess-hq', 'guess-01');
    const wrong = { username: issued.credentials.username, password: 'guess' };
    const from = (localAddress: string) =>
      connectAgent(strict.mqttUrl, wrong, undefined, localAddress).then(
        () => 'connected',
        (err: Error) => err.message,
      );
    const failures = await rejected(strict, 'bad_credentials');
    for (let i = 0; i < 3; i++) expect(await from('127.0.0.14')).toMatch(/bad username/i);
    expect(await rejected(strict, 'bad_credentials')).toBe(failures + 3);
    const throttled = await rejected(strict, 'auth_throttled');
    // Refused without a password check: the failure count does not move.
    expect(await from('127.0.0.14')).not.toBe('connected');
    expect(await rejected(strict, 'bad_credentials')).toBe(failures + 3);
    expect(await rejected(strict, 'auth_throttled')).toBe(throttled + 1);
    // The right password from another address still gets in.
    const agent = await connectAgent(strict.mqttUrl, issued.credentials, undefined, '127.0.0.15');
    agent.end(true);
  });
});
