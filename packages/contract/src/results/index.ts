import { z } from 'zod';
import { dnsResult } from './dns.js';
import { httpResult } from './http.js';
import { icmpResult } from './icmp.js';
import { onvifResult } from './onvif.js';
import { snmpResult } from './snmp.js';
import { sipResult } from './sip.js';
import { tcpResult } from './tcp.js';
import { voiceResult } from './voice.js';

export * from './common.js';
export * from './dns.js';
export * from './http.js';
export * from './icmp.js';
export * from './onvif.js';
export * from './snmp.js';
export * from './sip.js';
export * from './tcp.js';
export * from './voice.js';

/**
 * Every probe type's result, one file each. Adding a probe type: a new file beside these,
 * one export line above and one entry in this list.
 */
export const probeResult = z
  .discriminatedUnion('type', [
    icmpResult,
    tcpResult,
    snmpResult,
    sipResult,
    voiceResult,
    httpResult,
    dnsResult,
    onvifResult,
  ])
  .refine((r) => r.status === 'ok' || r.reason !== undefined, {
    message: 'a failed result must say why',
    path: ['reason'],
  });

export type ProbeResult = z.infer<typeof probeResult>;
export type ProbeType = ProbeResult['type'];
