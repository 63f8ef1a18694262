import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeEvents, encodeEvents, type EventsPayload } from '@branchwatch/contract';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freeUdpPort } from '../../../test/peers/snmpd.js';
import { createLogger } from '../log.js';
import { trapsConfig } from './config.js';
import { TrapReceiver } from './receiver.js';

const USER = { name: 'bwtrap', authKey: 'trap-auth-key', privKey: 'trap-priv-key' };
/** linkDown (RFC 2863 §6), with ifIndex, ifAdminStatus, ifOperStatus and ifDescr of ifIndex 2. */
const LINK_DOWN = '1.3.6.1.6.3.1.1.5.3';
const VARBINDS = [
  ['1.3.6.1.2.1.2.2.1.1.2', 'i', '2'],
  ['1.3.6.1.2.1.2.2.1.7.2', 'i', '1'],
  ['1.3.6.1.2.1.2.2.1.8.2', 'i', '2'],
  ['1.3.6.1.2.1.2.2.1.2.2', 's', 'uplink to core'],
].flat();

let dir: string;
let port: number;
let receiver: TrapReceiver;
const received: EventsPayload[] = [];
const warnings: string[] = [];

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'bw-traps-'));
  port = await freeUdpPort();
  receiver = new TrapReceiver({
    config: trapsConfig.parse({
      address: '127.0.0.1',
      port,
      communities: ['branch-traps'],
      users: [USER],
    }),
    agent: 'srv-01',
    publish: async (payload) => {
      received.push(payload);
    },
    log: createLogger({ level: 'warn', write: (line) => warnings.push(line) }),
    flushMs: 50,
  });
});
/**
 * Traps are unacknowledged UDP: one sent before the receiver's socket is bound (the suite
 * runs many projects at once) is lost. Send a trap it refuses until the refusal shows in the
 * log, then start from a clean log.
 */
beforeAll(async () => {
  for (let i = 0; i < 40 && warnings.length === 0; i++) {
    await snmptrap(['-v2c', '-c', 'warm-up']);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  expect(warnings.some((w) => w.includes('snmp notification refused'))).toBe(true);
  warnings.splice(0);
}, 30_000);
afterAll(async () => {
  await receiver?.close();
  await rm(dir, { recursive: true, force: true });
});

/** Net-SNMP's snmptrap, with its persistent state in our folder (not /var/lib/snmp). */
function snmptrap(args: string[]): Promise<string> {
  return new Promise((resolve, reject) =>
    execFile(
      'snmptrap',
      [...args, `127.0.0.1:${port}`, '', LINK_DOWN, ...VARBINDS],
      {
        env: { PATH: process.env.PATH ?? '/usr/bin:/bin', SNMP_PERSISTENT_DIR: dir, MIBS: '' },
        timeout: 5000,
      },
      (err, _stdout, stderr) =>
        err ? reject(new Error(`${err.message}: ${stderr}`)) : resolve(stderr),
    ),
  );
}

/** Waits for the next payload, 300 tries 50 ms apart at most. */
async function nextPayload(count: number): Promise<EventsPayload | undefined> {
  for (let i = 0; i < 300 && received.length < count; i++) {
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return received[count - 1];
}

const expectedVarbinds = [
  { oid: '1.3.6.1.2.1.2.2.1.1.2', type: 'Integer', value: '2' },
  { oid: '1.3.6.1.2.1.2.2.1.7.2', type: 'Integer', value: '1' },
  { oid: '1.3.6.1.2.1.2.2.1.8.2', type: 'Integer', value: '2' },
  { oid: '1.3.6.1.2.1.2.2.1.2.2', type: 'OctetString', value: 'uplink to core' },
];

describe('trap receiver against Net-SNMP snmptrap', () => {
  it('forwards a v2c trap as an event', async () => {
    await snmptrap(['-v2c', '-c', 'branch-traps']);
    const payload = await nextPayload(1);
    expect(payload).toMatchObject({ v: 1, agent: 'srv-01' });
    expect(payload?.events).toHaveLength(1);
    const event = payload!.events[0]!;
    expect(event).toMatchObject({
      kind: 'snmp-trap',
      source: '127.0.0.1',
      trapOid: LINK_DOWN,
      version: '2c',
    });
    expect(event.varbinds).toEqual(expectedVarbinds);
    expect(Math.abs(Date.parse(event.at) - Date.now())).toBeLessThan(10_000);
    expect(decodeEvents(encodeEvents(payload!))).toEqual({ ok: true, value: payload });
  });

  it('forwards a v3 authPriv trap (SHA, AES)', async () => {
    await snmptrap([
      '-v3',
      '-e',
      '0x80001f8880aabbccdd01020304',
      '-u',
      USER.name,
      '-l',
      'authPriv',
      '-a',
      'SHA',
      '-A',
      USER.authKey,
      '-x',
      'AES',
      '-X',
      USER.privKey,
    ]);
    const payload = await nextPayload(2);
    expect(payload?.events[0]).toMatchObject({
      trapOid: LINK_DOWN,
      version: '3',
      varbinds: expectedVarbinds,
    });
  });

  it('drops a trap with an unknown community and says so in the log', async () => {
    const before = received.length;
    await snmptrap(['-v2c', '-c', 'guessed']);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(received.length).toBe(before);
    expect(warnings.some((w) => w.includes('snmp notification refused'))).toBe(true);
  });

  it('drops a v3 trap with a wrong authentication key', async () => {
    const before = received.length;
    await snmptrap([
      '-v3',
      '-e',
      '0x80001f8880aabbccdd01020305',
      '-u',
      USER.name,
      '-l',
      'authPriv',
      '-a',
      'SHA',
      '-A',
      'wrong-auth-key',
      '-x',
      'AES',
      '-X',
      USER.privKey,
    ]);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(received.length).toBe(before);
  });
});

describe('traps config', () => {
  it('needs a community or a user', () => {
    expect(trapsConfig.safeParse({}).error?.issues[0]?.message).toBe(
      'name at least one community or user: notifications from others are dropped',
    );
    expect(trapsConfig.parse({ communities: ['x'] })).toMatchObject({
      address: '0.0.0.0',
      port: 162,
    });
  });
});
