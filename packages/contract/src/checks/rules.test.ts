import { describe, expect, it } from 'vitest';
import {
  checkOptionFields,
  DEFAULT_CHECK_DEFAULTS,
  describeIssue,
  resolveCheck,
} from '../index.js';

const judge = (spec: object) => {
  const result = resolveCheck({ id: 'c', ...spec } as never, DEFAULT_CHECK_DEFAULTS);
  return result.ok ? result.check : result.issues.map(describeIssue);
};

describe('the rules a check is judged by, on the agent and on the hub', () => {
  it('refuses targets that are no address and no host name', () => {
    expect(judge({ type: 'icmp', target: '999.1.1.1' })).toEqual([
      'target: "999.1.1.1" is not a valid IPv4 address',
    ]);
    expect(judge({ type: 'icmp', target: 'not an ip at all' })).toEqual([
      'target: "not an ip at all" is not an IP address or a host name',
    ]);
    expect(judge({ type: 'tcp', target: '300.1.1.1:80' })).toEqual([
      'target: "300.1.1.1" is not a valid IPv4 address',
    ]);
    expect(judge({ type: 'snmp', target: '10.0.0.1:161' })).toEqual([
      'target: "10.0.0.1:161" is not an IP address or a host name (the port is the option `port`)',
    ]);
  });

  it('fills in the schedule and the options with their defaults', () => {
    expect(judge({ type: 'icmp', target: 'gw.branch.example', intervalSeconds: 30 })).toEqual({
      id: 'c',
      type: 'icmp',
      target: 'gw.branch.example',
      intervalSeconds: 30,
      timeoutSeconds: 10,
      options: { count: 5, periodMs: 200, perPingTimeoutMs: 1000, discardFirst: false },
    });
  });

  it('names every problem with its path', () => {
    expect(judge({ type: 'icmp', target: 'x y', options: { count: 0, pings: 2 } })).toEqual([
      'target: "x y" is not an IP address or a host name',
      'options.count: Too small: expected number to be >=1',
      'options.pings: unknown key',
    ]);
    expect(judge({ type: 'telex', target: 'x' })).toEqual([
      'type: unknown probe type "telex" (known: dns, http, icmp, onvif, sip, snmp, tcp, voice)',
    ]);
  });
});

describe('option fields for forms', () => {
  it("reads bounds, defaults, choices and units from the type's schema", () => {
    expect(checkOptionFields('icmp')).toEqual([
      { name: 'count', kind: 'number', integer: true, min: 1, max: 1000, default: 5 },
      {
        name: 'periodMs',
        kind: 'number',
        integer: true,
        min: 10,
        max: 60000,
        default: 200,
        unit: 'ms',
      },
      {
        name: 'perPingTimeoutMs',
        kind: 'number',
        integer: true,
        min: 1,
        max: 60000,
        default: 1000,
        unit: 'ms',
      },
      { name: 'discardFirst', kind: 'boolean', default: false },
    ]);
    expect(checkOptionFields('tcp')).toEqual([]);
    expect(checkOptionFields('snmp').find((f) => f.name === 'community')).toEqual({
      name: 'community',
      kind: 'secret',
      default: 'public',
    });
    // Lists and nested settings are left to the API.
    expect(checkOptionFields('http').map((f) => f.name)).not.toContain('headers');
  });
});
