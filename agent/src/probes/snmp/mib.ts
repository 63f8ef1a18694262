import type { Table } from 'net-snmp';
import type { IfOperStatus } from '@branchwatch/contract';
import type { InterfaceCounters } from './rates.js';

/** The objects the probe reads, by OID. */
export const OID = {
  // RFC 3418 (SNMPv2-MIB) system group.
  sysDescr: '1.3.6.1.2.1.1.1.0',
  sysUpTime: '1.3.6.1.2.1.1.3.0',
  sysName: '1.3.6.1.2.1.1.5.0',
  // RFC 2863 (IF-MIB).
  ifTable: '1.3.6.1.2.1.2.2',
  ifXTable: '1.3.6.1.2.1.31.1.1',
} as const;

/** ifTable (ifEntry) columns. */
export const IF_COLUMNS = {
  descr: 2,
  operStatus: 8,
  inDiscards: 13,
  inErrors: 14,
  outDiscards: 19,
  outErrors: 20,
} as const;

/** ifXTable (ifXEntry) columns. */
export const IFX_COLUMNS = {
  name: 1,
  hcInOctets: 6,
  hcOutOctets: 10,
  counterDiscontinuityTime: 19,
} as const;

/** RFC 2863 ifOperStatus values 1-7. */
const OPER_STATUS: Record<number, IfOperStatus> = {
  1: 'up',
  2: 'down',
  3: 'testing',
  4: 'unknown',
  5: 'dormant',
  6: 'notPresent',
  7: 'lowerLayerDown',
};

/** One interface as read in one round. */
export interface InterfaceReading extends InterfaceCounters {
  ifIndex: number;
  name: string;
  operStatus: IfOperStatus;
}

/**
 * A Counter64 as net-snmp hands it over: a big-endian unsigned integer of 1-9 octets (BER,
 * X.690 §8.3, with a leading zero octet when the top bit is set). Numbers come from Counter32.
 */
export function toBigInt(value: unknown): bigint | null {
  if (typeof value === 'number' && Number.isInteger(value) && value >= 0) return BigInt(value);
  if (typeof value === 'bigint') return value;
  if (Buffer.isBuffer(value) && value.length > 0 && value.length <= 9) {
    return BigInt(`0x${value.toString('hex')}`);
  }
  return null;
}

export function toNumber(value: unknown): number | null {
  return typeof value === 'number' && Number.isFinite(value) ? value : null;
}

/** A DisplayString (RFC 2579): UTF-8 text, control characters dropped, cut to `max`. */
export function toText(value: unknown, max = 255): string | null {
  if (typeof value === 'string') return clean(value, max);
  if (Buffer.isBuffer(value)) return clean(value.toString('utf8'), max);
  return null;
}

function clean(text: string, max: number): string {
  // eslint-disable-next-line no-control-regex -- removing control characters is the point
  return text.replace(/[\u0000-\u001f\u007f]/g, '').slice(0, max);
}

/** Joins ifTable and ifXTable rows by ifIndex; rows without an ifOperStatus are skipped. */
export function readInterfaces(ifTable: Table, ifXTable: Table): InterfaceReading[] {
  const out: InterfaceReading[] = [];
  for (const [index, row] of Object.entries(ifTable)) {
    const ifIndex = Number(index);
    const operStatus = OPER_STATUS[toNumber(row[IF_COLUMNS.operStatus]) ?? 0];
    if (!Number.isInteger(ifIndex) || ifIndex < 1 || operStatus === undefined) continue;
    const x = ifXTable[index] ?? {};
    const name =
      toText(x[IFX_COLUMNS.name]) || toText(row[IF_COLUMNS.descr]) || `ifIndex ${ifIndex}`;
    out.push({
      ifIndex,
      name,
      operStatus,
      discontinuity: toNumber(x[IFX_COLUMNS.counterDiscontinuityTime]),
      inOctets: toBigInt(x[IFX_COLUMNS.hcInOctets]),
      outOctets: toBigInt(x[IFX_COLUMNS.hcOutOctets]),
      inErrors: toBigInt(row[IF_COLUMNS.inErrors]),
      outErrors: toBigInt(row[IF_COLUMNS.outErrors]),
      inDiscards: toBigInt(row[IF_COLUMNS.inDiscards]),
      outDiscards: toBigInt(row[IF_COLUMNS.outDiscards]),
    });
  }
  return out.sort((a, b) => a.ifIndex - b.ifIndex);
}
