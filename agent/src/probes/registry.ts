import type { ProbeType } from '@branchwatch/contract';
import { dnsProbe } from './dns/index.js';
import { httpProbe } from './http/index.js';
import { icmpProbe } from './icmp/index.js';
import { onvifProbe } from './onvif/index.js';
import type { Probe } from './probe.js';
import { sipProbe } from './sip/index.js';
import { snmpProbe } from './snmp/index.js';
import { tcpProbe } from './tcp/index.js';
import { voiceProbe } from './voice/index.js';

/**
 * Every probe the agent can run, by type (blackbox_exporter's `Probers` map). The mapped type
 * makes a contract result type without a probe a compile error. Adding a probe: one folder under
 * probes/, one line here, and its result schema in the contract.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- each entry checks its own options
export type ProbeRegistry = { [T in ProbeType]: Probe<any, T> };

export const probes: ProbeRegistry = {
  icmp: icmpProbe,
  tcp: tcpProbe,
  http: httpProbe,
  dns: dnsProbe,
  sip: sipProbe,
  voice: voiceProbe,
  snmp: snmpProbe,
  onvif: onvifProbe,
};

export const PROBE_TYPES = Object.keys(probes) as ProbeType[];

export function isProbeType(type: string): type is ProbeType {
  return Object.hasOwn(probes, type);
}
