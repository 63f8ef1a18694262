import { z } from 'zod';
import { decodeWith, encode } from './codec.js';
import type { Decoded } from './errors.js';
import { CONTRACT_VERSION } from './payloads.js';
import { TOPIC_SEGMENT } from './topics.js';

/**
 * Things that happened at the branch and that the agent forwards as they come, rather than
 * measures on a schedule (topics.events). Today: SNMP notifications received by the agent.
 */

export const MAX_EVENTS_BYTES = 256 * 1024;
export const MAX_EVENTS_PER_PAYLOAD = 500;
export const MAX_TRAP_VARBINDS = 64;

/** A dotted OID (RFC 2578 §3.5: at most 128 sub-identifiers). */
const oid = z
  .string()
  .max(1000)
  .regex(/^[0-2](\.\d{1,10}){1,127}$/, 'must be a dotted OID such as 1.3.6.1.2.1.1.3.0');

export const trapVarbind = z.strictObject({
  oid,
  /** The SMI type's name as net-snmp reports it: OctetString, Integer, TimeTicks, OID, … */
  type: z.string().min(1).max(32),
  /** The value as text: printable strings as such, other octet strings in hex, numbers in decimal. */
  value: z.string().max(2048),
});

export const snmpTrapEvent = z.strictObject({
  kind: z.literal('snmp-trap'),
  /** When the agent received it. */
  at: z.iso.datetime({ offset: true }),
  /** The sender's IP address as seen by the agent. */
  source: z.string().min(1).max(64),
  /** snmpTrapOID.0 (RFC 3416 §4.2.6), or for SNMPv1 traps the OID RFC 3584 §3.1 derives. */
  trapOid: oid,
  /** SNMPv1/v2c community or SNMPv3 user that the trap was authorised with. */
  version: z.enum(['1', '2c', '3']),
  varbinds: z.array(trapVarbind).max(MAX_TRAP_VARBINDS),
});

/** One kind for now; a discriminated union on `kind` as others come. */
export const agentEvent = z.discriminatedUnion('kind', [snmpTrapEvent]);

export const eventsPayload = z.strictObject({
  v: z.literal(CONTRACT_VERSION),
  agent: z.string().regex(TOPIC_SEGMENT, 'must be 1-63 of a-z, 0-9, "-", "_"'),
  events: z.array(agentEvent).min(1).max(MAX_EVENTS_PER_PAYLOAD),
});

export type TrapVarbind = z.infer<typeof trapVarbind>;
export type SnmpTrapEvent = z.infer<typeof snmpTrapEvent>;
export type AgentEvent = z.infer<typeof agentEvent>;
export type EventsPayload = z.infer<typeof eventsPayload>;

export const encodeEvents = (value: EventsPayload): string => encode(eventsPayload, value);

export const decodeEvents = (payload: Uint8Array | string): Decoded<EventsPayload> =>
  decodeWith(eventsPayload, payload, MAX_EVENTS_BYTES);
