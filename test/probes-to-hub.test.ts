import { execFile } from 'node:child_process';
import fs from 'node:fs/promises';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { connectDatabase, type Database } from '@branchwatch/hub';
import { OnvifSimulator } from './onvif-simulator/index.js';
import { startDnsmasq, type Dnsmasq } from './peers/dnsmasq.js';
import { startKamailio, type Kamailio } from './peers/kamailio.js';
import { freeUdpPort, startSnmpd, type Snmpd } from './peers/snmpd.js';
import { waitFor } from './support/http.js';
import { startTestHub, type TestHub } from './support/hub.js';
import { AGENT_BIN, startNode, stop, type Started } from './support/processes.js';

/**
 * Every probe's results reach the hub like the link probes do: one real agent process runs
 * snmp, sip, voice, onvif, http and dns checks against real peers on loopback (snmpd,
 * Kamailio, the ONVIF simulator, a web server, dnsmasq), forwards an SNMP trap and reports what
 * it found on the inventory topic; the hub stores all of it.
 */
const run = promisify(execFile);

let t: TestHub;
let db: Database;
let work: string;
let agent: Started | undefined;
let snmpd: Snmpd;
let kamailio: Kamailio;
let dnsmasq: Dnsmasq;
let camera: OnvifSimulator;
let web: http.Server;
let trapPort: number;

beforeAll(async () => {
  work = await fs.mkdtemp(path.join(os.tmpdir(), 'bw-probes-hub-'));
  t = await startTestHub();
  db = connectDatabase(t.databaseUrl);
  snmpd = await startSnmpd({ community: 'branch-ro', sysName: 'core-sw' });
  kamailio = await startKamailio();
  dnsmasq = await startDnsmasq({ records: ['--address=/pbx.branch.test/192.0.2.10'] });
  camera = await new OnvifSimulator({
    host: '127.0.0.1',
    username: 'monitor',
    password: 'cam-secret',
  }).start();
  web = http.createServer((_req, res) => res.end('branch portal ok'));
  await new Promise<void>((resolve) => web.listen(0, '127.0.0.1', resolve));
  trapPort = await freeUdpPort();
});

afterAll(async () => {
  if (agent) await stop(agent);
  web?.close();
  await camera?.stop();
  await dnsmasq?.stop();
  await kamailio?.stop();
  await snmpd?.stop();
  await db?.destroy();
  await t?.stop();
  if (work && !process.env.BW_TEST_KEEP) await fs.rm(work, { recursive: true, force: true });
});

it('stores the results, the trap and the inventory of every probe type', async () => {
  const issued = await t.api.createAgent('hq', 'srv-01');
  const config = parse(issued.config) as Record<string, unknown>;
  const sip = `${kamailio.host}:${kamailio.port}`;
  config.spool = { dir: path.join(work, 'spool') };
  config.batch = { intervalSeconds: 0.5 };
  config.traps = { address: '127.0.0.1', port: trapPort, communities: ['branch-traps'] };
  config.checks = [
    {
      id: 'core-switch',
      type: 'snmp',
      target: `127.0.0.1`,
      intervalSeconds: 2,
      timeoutSeconds: 5,
      options: { community: 'branch-ro', port: snmpd.port },
    },
    { id: 'pbx-ping', type: 'sip', target: sip, intervalSeconds: 2, timeoutSeconds: 3 },
    {
      id: 'pbx-register',
      type: 'sip',
      target: sip,
      intervalSeconds: 2,
      timeoutSeconds: 5,
      options: {
        method: 'REGISTER',
        username: kamailio.user,
        password: kamailio.password,
        domain: kamailio.host,
      },
    },
    {
      id: 'pbx-voice',
      type: 'voice',
      target: sip,
      intervalSeconds: 3,
      timeoutSeconds: 5,
      options: { count: 20 },
    },
    {
      id: 'cam-lobby',
      type: 'onvif',
      target: `http://127.0.0.1:${camera.port}/onvif/device_service`,
      intervalSeconds: 3,
      timeoutSeconds: 8,
      options: { username: 'monitor', password: 'cam-secret' },
    },
    {
      id: 'portal',
      type: 'http',
      target: `http://127.0.0.1:${(web.address() as { port: number }).port}/`,
      intervalSeconds: 2,
      timeoutSeconds: 3,
      options: { bodyMatch: { contains: 'portal ok' } },
    },
    {
      id: 'pbx-dns',
      type: 'dns',
      target: 'pbx.branch.test',
      intervalSeconds: 2,
      timeoutSeconds: 3,
      options: { server: dnsmasq.server, expect: { exact: '192.0.2.10' } },
    },
  ];
  const file = path.join(work, 'agent.yaml');
  await fs.writeFile(file, stringify(config));
  agent = startNode(AGENT_BIN, ['run', '--config', file], {}, path.join(work, 'agent.log'));

  const keys = [
    'core-switch',
    'pbx-ping',
    'pbx-register',
    'pbx-voice',
    'cam-lobby',
    'portal',
    'pbx-dns',
  ];
  const latest = await waitFor(
    'a stored result of every check',
    async () => {
      const rows = await db('checks').whereIn('key', keys).whereNotNull('last_result_at');
      return rows.length === keys.length ? rows : undefined;
    },
    90_000,
  );
  const byKey = Object.fromEntries(
    latest.map((c: { key: string }) => [c.key, c]),
  ) as unknown as Record<
    string,
    {
      type: string;
      last_status: string;
      last_reason: string | null;
      last_fields: Record<string, unknown>;
    }
  >;
  for (const key of keys)
    expect([key, byKey[key]!.last_status, byKey[key]!.last_reason]).toEqual([key, 'ok', null]);
  expect(byKey['core-switch']!.type).toBe('snmp');
  expect(byKey['pbx-register']!.last_fields).toMatchObject({ code: 200, expires: 60 });
  expect(byKey['pbx-voice']!.last_fields).toMatchObject({ loss: 0 });
  expect(byKey['cam-lobby']!.last_fields).toMatchObject({ profiles: expect.any(Number) });
  expect(byKey['portal']!.last_fields).toMatchObject({ statusCode: 200 });
  expect(byKey['pbx-dns']!.last_fields).toMatchObject({ answers: 1 });

  // An SNMP trap to the agent's receiver reaches the hub's events.
  await run('snmptrap', [
    '-v',
    '2c',
    '-c',
    'branch-traps',
    `127.0.0.1:${trapPort}`,
    '',
    '1.3.6.1.6.3.1.1.5.3',
    '1.3.6.1.2.1.2.2.1.1.2',
    'i',
    '2',
  ]);
  const events = await waitFor('the trap in the hub', async () => {
    const { items } = await t.api.get<{ items: { kind: string; body: { trapOid: string } }[] }>(
      `/api/v1/events?agentId=${issued.agent.id}`,
    );
    return items.length > 0 ? items : undefined;
  });
  expect(events[0]).toMatchObject({ kind: 'snmp-trap', body: { trapOid: '1.3.6.1.6.3.1.1.5.3' } });

  // What the snmp probe found is the branch's inventory.
  const branches = await t.api.get<{ items: { id: string }[] }>('/api/v1/branches');
  const topology = await waitFor('the inventory in the hub', async () => {
    const view = await t.api.get<{ devices: { sysName: string | null }[] }>(
      `/api/v1/branches/${branches.items[0]!.id}/topology`,
    );
    return view.devices.length > 0 ? view : undefined;
  });
  expect(topology.devices.map((d) => d.sysName)).toContain('core-sw');

  expect(await stop(agent)).toEqual({ code: 0, signal: null });
  agent = undefined;
});
