import { describe, expect, it } from 'vitest';
import {
  decodeEvents,
  decodeInventory,
  encodeEvents,
  encodeInventory,
  parseTopic,
  topics,
  type EventsPayload,
  type Inventory,
} from './index.js';

const address = { tenant: 'acme', branch: 'hq', agent: 'srv-01' };

const inventory: Inventory = {
  v: 1,
  agent: 'srv-01',
  at: '2026-11-21T10:00:00.000Z',
  devices: [{ id: 'core-sw', sysName: 'core-sw', sysDescr: 'Switch', address: '192.0.2.2' }],
  links: [
    {
      localDevice: 'core-sw',
      localPort: 'Gi1/0/48',
      remoteChassisId: '12:0d:63:c9:b4:f4',
      remoteSysName: 'ap-1',
      remotePort: 'eth0',
    },
  ],
};

const events: EventsPayload = {
  v: 1,
  agent: 'srv-01',
  events: [
    {
      kind: 'snmp-trap',
      at: '2026-11-21T10:00:00.000Z',
      source: '192.0.2.2',
      trapOid: '1.3.6.1.6.3.1.1.5.3',
      version: '2c',
      varbinds: [{ oid: '1.3.6.1.2.1.2.2.1.1.2', type: 'Integer', value: '2' }],
    },
  ],
};

describe('inventory and events payloads', () => {
  it('round-trip through encode and decode', () => {
    expect(decodeInventory(encodeInventory(inventory))).toEqual({ ok: true, value: inventory });
    expect(decodeEvents(encodeEvents(events))).toEqual({ ok: true, value: events });
  });

  it('name the first bad field', () => {
    const bad = { ...inventory, links: [{ ...inventory.links[0], remotePort: '' }] };
    const decoded = decodeInventory(JSON.stringify(bad));
    expect(decoded.ok ? null : [decoded.error.code, decoded.error.field]).toEqual([
      'invalid',
      'links[0].remotePort',
    ]);
    const badOid = { ...events, events: [{ ...events.events[0], trapOid: 'linkDown' }] };
    const decodedEvents = decodeEvents(JSON.stringify(badOid));
    expect(decodedEvents.ok ? null : decodedEvents.error.message).toBe(
      'events[0].trapOid: must be a dotted OID such as 1.3.6.1.2.1.1.3.0',
    );
  });

  it('refuse unknown keys, other versions and oversized payloads', () => {
    const extra = decodeInventory(JSON.stringify({ ...inventory, secret: 1 }));
    expect(extra.ok ? null : extra.error.code).toBe('invalid');
    const v2 = decodeEvents(JSON.stringify({ ...events, v: 2 }));
    expect(v2.ok ? null : [v2.error.code, v2.error.field]).toEqual(['unsupported_version', 'v']);
    const big = decodeEvents('x'.repeat(256 * 1024 + 1));
    expect(big.ok ? null : big.error.code).toBe('too_large');
    expect(() => encodeEvents({ ...events, events: [] })).toThrow();
  });

  it('have an events topic in the agent subtree', () => {
    expect(topics.events(address)).toBe('bw/v1/acme/hq/srv-01/events');
    expect(parseTopic('bw/v1/acme/hq/srv-01/events')).toEqual({ ...address, kind: 'events' });
  });
});
