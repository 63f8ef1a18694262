import { z } from 'zod';
import { count, ms, resultBase } from './common.js';

/** A rate between two rounds, per second; null when there is no baseline (first round, reset). */
const perSecond = z.number().finite().nonnegative().nullable();

/** IF-MIB ifOperStatus (RFC 2863 §6), by name rather than by the MIB's integer. */
export const IF_OPER_STATUSES = [
  'up',
  'down',
  'testing',
  'unknown',
  'dormant',
  'notPresent',
  'lowerLayerDown',
] as const;
export const ifOperStatus = z.enum(IF_OPER_STATUSES);

/** Interfaces one result may carry; a chassis with more is watched through `interfaces`. */
export const MAX_SNMP_INTERFACES = 1024;
/** LLDP neighbours one result may carry. */
export const MAX_LLDP_NEIGHBORS = 512;

const text = (max: number) => z.string().max(max);

/** The figures of one round for the device as a whole. */
export const snmpFields = z.strictObject({
  /** sysUpTime in seconds (RFC 3418): time since the agent (re)initialised. */
  uptimeSeconds: z.number().finite().nonnegative().nullable(),
  /** 1 when sysUpTime shows a restart since the previous round, 0 when not; null on failure. */
  rebooted: z.union([z.literal(0), z.literal(1)]).nullable(),
  /** Round trip of the first request (sysUpTime, sysName, sysDescr), ms. */
  responseMs: ms,
  /** Interfaces watched this round, of them up, and how many changed ifOperStatus. */
  interfaces: count.nullable(),
  interfacesUp: count.nullable(),
  operStatusChanges: count.nullable(),
});

/** One watched interface in one round. Rates come from the difference to the previous round. */
export const snmpInterface = z.strictObject({
  ifIndex: z.number().int().min(1).max(2147483647),
  /** ifName (ifXTable), or ifDescr when the agent has no ifName. */
  name: text(255),
  operStatus: ifOperStatus,
  /** Status in the previous round when it differs; absent when unchanged or unknown. */
  previousOperStatus: ifOperStatus.optional(),
  /** From ifHCInOctets/ifHCOutOctets (64-bit, ifXTable) × 8. */
  inBitsPerSecond: perSecond,
  outBitsPerSecond: perSecond,
  inErrorsPerSecond: perSecond,
  outErrorsPerSecond: perSecond,
  inDiscardsPerSecond: perSecond,
  outDiscardsPerSecond: perSecond,
  /**
   * True when this round starts a new baseline instead of giving rates: first round, reboot,
   * or a new ifCounterDiscontinuityTime (RFC 2863 §3.1.6).
   */
  countersReset: z.boolean(),
});

/** One LLDP neighbour seen on a local port (IEEE 802.1AB LLDP-MIB lldpRemTable). */
export const lldpNeighbor = z.strictObject({
  /** lldpLocPortDesc, else lldpLocPortId, else "port N" (lldpRemLocalPortNum). */
  localPort: text(255),
  remoteChassisId: z.string().min(1).max(255),
  remoteSysName: text(255).nullable(),
  remotePort: text(255),
  remotePortDescr: text(255).nullable(),
});

export const snmpResult = z.strictObject({
  ...resultBase,
  type: z.literal('snmp'),
  fields: snmpFields,
  /** Who answered: absent when the round failed before the system group was read. */
  system: z.strictObject({ sysName: text(255), sysDescr: text(1024) }).optional(),
  interfaces: z.array(snmpInterface).max(MAX_SNMP_INTERFACES).optional(),
  /** Only with the option `lldp: true`. */
  neighbors: z.array(lldpNeighbor).max(MAX_LLDP_NEIGHBORS).optional(),
});

export type SnmpFields = z.infer<typeof snmpFields>;
export type SnmpInterface = z.infer<typeof snmpInterface>;
export type LldpNeighbor = z.infer<typeof lldpNeighbor>;
export type SnmpResult = z.infer<typeof snmpResult>;
export type IfOperStatus = z.infer<typeof ifOperStatus>;
