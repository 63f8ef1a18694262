import type { MqttClient } from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { topics, type EventsPayload, type Inventory } from '@branchwatch/contract';
import { connectAgent, publish, startTestHub, type TestHub } from '../../../test/support/hub.js';
import { metric } from '../../../test/support/metrics.js';

let t: TestHub;
let agent: MqttClient;
let branchId: string;
let agentId: string;
const address = { tenant: 'default', branch: 'hq', agent: 'srv-01' };

beforeAll(async () => {
  t = await startTestHub();
  const issued = await t.api.createAgent('hq', 'srv-01');
  agentId = issued.agent.id;
  const { items } = await t.api.get<{ items: { id: string }[] }>('/api/v1/branches');
  branchId = items[0]!.id;
  agent = await connectAgent(t.mqttUrl, issued.credentials);
});
afterAll(async () => {
  agent?.end(true);
  await t?.stop();
});

const inventory = (links: Inventory['links']): Inventory => ({
  v: 1,
  agent: 'srv-01',
  at: '2026-11-21T10:00:00Z',
  devices: [
    { id: 'core-sw', sysName: 'core-sw', sysDescr: 'Linux core-sw 6.1', address: '192.0.2.2' },
    { id: 'router', sysName: 'router', sysDescr: null, address: '192.0.2.1' },
  ],
  links,
});

interface Topology {
  branch: { id: string };
  agents: { id: string }[];
  devices: { deviceId: string; address: string | null }[];
  links: { localDevice: string; localPort: string; remoteSysName: string | null }[];
}

describe('inventory and events', () => {
  it('keeps the latest inventory of each agent for the branch topology', async () => {
    const uplink = {
      localDevice: 'core-sw',
      localPort: 'ge-0/0/1',
      remoteChassisId: '00:11:22:33:44:55',
      remoteSysName: 'router',
      remotePort: 'eth0',
    };
    await publish(agent, topics.inventory(address), JSON.stringify(inventory([uplink])));
    const first = await t.api.get<Topology>(`/api/v1/branches/${branchId}/topology`);
    expect(first.agents.map((a) => a.id)).toEqual([agentId]);
    expect(first.devices.map((d) => [d.deviceId, d.address])).toEqual([
      ['core-sw', '192.0.2.2'],
      ['router', '192.0.2.1'],
    ]);
    expect(first.links).toEqual([
      expect.objectContaining({ localPort: 'ge-0/0/1', remoteSysName: 'router' }),
    ]);

    // A new view replaces the old one whole.
    await publish(agent, topics.inventory(address), JSON.stringify(inventory([])));
    const second = await t.api.get<Topology>(`/api/v1/branches/${branchId}/topology`);
    expect(second.links).toEqual([]);
    expect(second.devices).toHaveLength(2);
  });

  it('stores forwarded SNMP traps as events', async () => {
    const payload: EventsPayload = {
      v: 1,
      agent: 'srv-01',
      events: [
        {
          kind: 'snmp-trap',
          at: '2026-11-21T10:05:00Z',
          source: '192.0.2.2',
          trapOid: '1.3.6.1.6.3.1.1.5.3',
          version: '2c',
          varbinds: [{ oid: '1.3.6.1.2.1.2.2.1.1.3', type: 'Integer', value: '3' }],
        },
      ],
    };
    await publish(agent, topics.events(address), JSON.stringify(payload));
    const { items } = await t.api.get<{
      items: { agentId: string; kind: string; body: unknown }[];
    }>(`/api/v1/events?agentId=${agentId}`);
    expect(items).toEqual([
      expect.objectContaining({ agentId, kind: 'snmp-trap', body: payload.events[0] }),
    ]);
  });

  it('counts and drops bad inventory and events without closing the connection', async () => {
    const before = await metric(t.api.baseUrl, 'bw_ingest_rejected_total{reason="invalid"}');
    await publish(
      agent,
      topics.inventory(address),
      JSON.stringify({ ...inventory([]), devices: 'many' }),
    );
    await publish(
      agent,
      topics.events(address),
      JSON.stringify({ v: 1, agent: 'srv-01', events: [] }),
    );
    expect(await metric(t.api.baseUrl, 'bw_ingest_rejected_total{reason="invalid"}')).toBe(
      before + 2,
    );
    expect(agent.connected).toBe(true);
    const topology = await t.api.get<Topology>(`/api/v1/branches/${branchId}/topology`);
    expect(topology.devices).toHaveLength(2);
  });
});
