import { createSocket } from 'node:dgram';
import { snmpResult, type ProbeResult, type SnmpInterface } from '@branchwatch/contract';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freeUdpPort, startSnmpd, type Snmpd } from '../../../../test/peers/snmpd.js';
import type { CheckConfig } from '../../config.js';
import { createLogger } from '../../log.js';
import { runCheck } from '../../scheduler/run-check.js';
import { probes } from '../registry.js';
import { createSnmpProbe } from './index.js';
import { snmpOptions, type SnmpOptions } from './options.js';

const USER = { name: 'bwmon', authKey: 'auth-secret-1', privKey: 'priv-secret-1' };

let snmpd: Snmpd;
beforeAll(async () => {
  snmpd = await startSnmpd({
    community: 'branch-ro',
    sysName: 'bw-probe-test',
    users: [
      {
        name: USER.name,
        authProtocol: 'SHA',
        authKey: USER.authKey,
        privProtocol: 'AES',
        privKey: USER.privKey,
      },
    ],
  });
});
afterAll(async () => {
  await snmpd?.stop();
});

const options = (raw: Record<string, unknown>): SnmpOptions =>
  snmpOptions.parse({ port: snmpd.port, retransmitMs: 200, ...raw });

function poll(
  probe: ReturnType<typeof createSnmpProbe>,
  raw: Record<string, unknown>,
  id = 'sw1',
  ms = 5000,
) {
  return probe.run({ id, target: '127.0.0.1', options: options(raw) }, AbortSignal.timeout(ms));
}

const lo = (rows: SnmpInterface[] | undefined) => rows?.find((r) => r.name === 'lo');

/** Loopback traffic between two rounds: `count` datagrams of `size` bytes to a closed port. */
async function sendLoopbackTraffic(count: number, size: number): Promise<void> {
  const port = await freeUdpPort();
  const socket = createSocket('udp4');
  const payload = Buffer.alloc(size, 0x42);
  for (let i = 0; i < count; i++) {
    await new Promise<void>((resolve) => socket.send(payload, port, '127.0.0.1', () => resolve()));
  }
  socket.close();
}

describe('snmp probe against a real snmpd on loopback', () => {
  it('reads the system group and the interfaces over v2c', async () => {
    const outcome = await poll(createSnmpProbe(), { community: 'branch-ro' });
    expect(outcome.status).toBe('ok');
    expect(outcome.system).toEqual({
      sysName: 'bw-probe-test',
      sysDescr: 'Branchwatch test snmpd',
    });
    expect(outcome.fields.rebooted).toBe(0);
    expect(outcome.fields.uptimeSeconds).toBeGreaterThanOrEqual(0);
    expect(outcome.fields.uptimeSeconds).toBeLessThan(120);
    expect(lo(outcome.interfaces)).toMatchObject({
      ifIndex: 1,
      operStatus: 'up',
      countersReset: true,
    });
    const result = {
      check: 'sw1',
      type: 'snmp',
      target: '127.0.0.1',
      at: new Date().toISOString(),
      ...outcome,
    };
    expect(snmpResult.safeParse(result).success).toBe(true);
  });

  it('reads over v3 authPriv with SHA and AES', async () => {
    const outcome = await poll(createSnmpProbe(), {
      version: '3',
      user: { ...USER, level: 'authPriv' },
    });
    expect(outcome).toMatchObject({ status: 'ok', system: { sysName: 'bw-probe-test' } });
  });

  it('reports a wrong v3 authentication key as auth failed', async () => {
    const outcome = await poll(createSnmpProbe(), {
      version: '3',
      user: { ...USER, authKey: 'not-the-key' },
    });
    expect(outcome.status).toBe('failed');
    expect(outcome.reason).toMatch(/^auth failed: Wrong Digest/);
    expect(outcome.fields.uptimeSeconds).toBeNull();
  });

  it('reports an unknown v3 user as auth failed', async () => {
    const outcome = await poll(createSnmpProbe(), {
      version: '3',
      user: { ...USER, name: 'mallory' },
    });
    expect(outcome.reason).toMatch(/^auth failed: Unknown User Name/);
  });

  it('names an interface that does not exist and still reports the others', async () => {
    const outcome = await poll(createSnmpProbe(), {
      community: 'branch-ro',
      interfaces: [1, 'nosuch0'],
    });
    expect(outcome.status).toBe('failed');
    expect(outcome.reason).toBe('no such interface: nosuch0');
    expect(outcome.interfaces?.map((r) => r.name)).toEqual(['lo']);
  });

  it('turns two rounds of lo counters into bit rates', async () => {
    const probe = createSnmpProbe();
    const first = await poll(probe, { community: 'branch-ro', interfaces: ['lo'] }, 'rates');
    const started = Date.now();
    await sendLoopbackTraffic(300, 1000);
    // snmpd caches the interface table for a few seconds; wait past it.
    await new Promise((resolve) => setTimeout(resolve, 6000));
    const second = await poll(probe, { community: 'branch-ro', interfaces: ['lo'] }, 'rates');
    const seconds = (Date.now() - started) / 1000;
    expect(lo(first.interfaces)?.countersReset).toBe(true);
    const row = lo(second.interfaces)!;
    console.log('lo rates over', seconds, 's:', row);
    expect(row.countersReset).toBe(false);
    // 300 × 1000 payload bytes at least went through lo in the interval.
    expect(row.inBitsPerSecond).toBeGreaterThan((300 * 1000 * 8) / (seconds + 2));
    expect(row.outBitsPerSecond).toBeGreaterThan((300 * 1000 * 8) / (seconds + 2));
    expect(row.inErrorsPerSecond).toBe(0);
    expect(second.fields).toMatchObject({
      rebooted: 0,
      interfaces: 1,
      interfacesUp: 1,
      operStatusChanges: 0,
    });
  }, 20_000);

  it('detects a restarted agent and an interface going down', async () => {
    const port = await freeUdpPort();
    const users = [] as never[];
    const first = await startSnmpd({ community: 'c1', port, users });
    const probe = createSnmpProbe();
    const raw = { community: 'c1', port, interfaces: [1] };
    const run = () =>
      probe.run(
        {
          id: 'restart',
          target: '127.0.0.1',
          options: snmpOptions.parse({ ...raw, retransmitMs: 200 }),
        },
        AbortSignal.timeout(5000),
      );
    const before = await run();
    await new Promise((resolve) => setTimeout(resolve, 2000));
    await first.stop();
    // The same agent, restarted, now saying that lo is down (RFC 2863 ifOperStatus down(2)).
    const second = await startSnmpd({
      community: 'c1',
      port,
      extraLines: ['override 1.3.6.1.2.1.2.2.1.8.1 integer 2'],
    });
    try {
      const after = await run();
      expect(before.fields.rebooted).toBe(0);
      expect(after.fields).toMatchObject({ rebooted: 1, operStatusChanges: 1, interfacesUp: 0 });
      expect(after.interfaces?.[0]).toMatchObject({
        name: 'lo',
        operStatus: 'down',
        previousOperStatus: 'up',
        countersReset: true,
        inBitsPerSecond: null,
      });
    } finally {
      await second.stop();
    }
  }, 20_000);
});

describe('snmp failures through the runner, which owns the deadline', () => {
  const log = createLogger({ level: 'error', write: () => {} });
  const check = (over: Record<string, unknown>, port = snmpd.port): CheckConfig => ({
    id: 'sw-down',
    type: 'snmp',
    target: '127.0.0.1',
    intervalSeconds: 60,
    timeoutSeconds: 1,
    options: snmpOptions.parse({ port, ...over }),
  });
  const failedWith = async (c: CheckConfig): Promise<ProbeResult> =>
    runCheck(c, { registry: probes, log });

  it('reports a wrong community as a timeout (an agent does not answer it)', async () => {
    const result = await failedWith(check({ community: 'guess' }));
    expect([result.status, result.reason]).toEqual(['failed', 'timeout after 1s']);
  });

  it('reports a closed port as a timeout', async () => {
    const result = await failedWith(check({}, await freeUdpPort()));
    expect([result.status, result.reason]).toEqual(['failed', 'timeout after 1s']);
  });

  it('says why itself when its signal is aborted', async () => {
    const probe = createSnmpProbe();
    const outcome = await probe.run(
      { id: 'x', target: '127.0.0.1', options: options({ community: 'guess' }) },
      AbortSignal.timeout(500),
    );
    expect(outcome).toMatchObject({
      status: 'failed',
      reason: 'timeout: no answer before the deadline',
    });
  });
});

describe('snmp options and targets', () => {
  it('requires a user for v3 and refuses short keys', () => {
    const v3 = snmpOptions.safeParse({ version: '3' });
    expect(v3.error?.issues.map((i) => [i.path.join('.'), i.message])).toEqual([
      ['user', 'required for version 3'],
    ]);
    const short = snmpOptions.safeParse({
      version: '3',
      user: { name: 'u', authKey: 'short', privKey: 'long-enough' },
    });
    expect(short.error?.issues[0]?.message).toBe('must be at least 8 characters (RFC 3414 §11.2)');
  });

  it('takes an address or a host name, without a port', () => {
    const probe = createSnmpProbe();
    expect(probe.validateTarget('192.0.2.1')).toBeNull();
    expect(probe.validateTarget('core-sw.branch.example')).toBeNull();
    expect(probe.validateTarget('192.0.2.1:161')).toBe(
      '"192.0.2.1:161" is not an IP address or a host name (the port is the option `port`)',
    );
  });
});
