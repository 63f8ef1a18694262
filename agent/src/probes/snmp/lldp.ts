import type { LldpNeighbor } from '@branchwatch/contract';
import type { Table } from 'net-snmp';
import { toNumber, toText } from './mib.js';

/** IEEE 802.1AB-2005 LLDP-MIB (1.0.8802.1.1.2), the version lldpd serves over AgentX. */
export const LLDP_OID = {
  lldpLocPortTable: '1.0.8802.1.1.2.1.3.7',
  lldpRemTable: '1.0.8802.1.1.2.1.4.1',
} as const;

/** lldpLocPortEntry columns. */
const LOC = { portIdSubtype: 2, portId: 3, portDesc: 4 } as const;
/** lldpRemEntry columns; the index is lldpRemTimeMark.lldpRemLocalPortNum.lldpRemIndex. */
const REM = {
  chassisIdSubtype: 4,
  chassisId: 5,
  portIdSubtype: 6,
  portId: 7,
  portDesc: 8,
  sysName: 9,
} as const;

/** LldpChassisIdSubtype macAddress(4), networkAddress(5); LldpPortIdSubtype macAddress(3). */
const CHASSIS_MAC = 4;
const CHASSIS_NETWORK_ADDRESS = 5;
const PORT_MAC = 3;

/**
 * The neighbours in lldpRemTable, with local ports named from lldpLocPortTable. Identifiers are
 * octet strings whose meaning depends on their subtype: MAC addresses become `aa:bb:…`, network
 * addresses (an IANA address family octet, then the address) become dotted IPv4, anything else
 * is text when printable and hex otherwise.
 */
export function readNeighbors(remTable: Table, locPortTable: Table, max: number): LldpNeighbor[] {
  const neighbors: LldpNeighbor[] = [];
  for (const [index, row] of Object.entries(remTable)) {
    if (neighbors.length >= max) break;
    const localPortNum = index.split('.')[1] ?? '';
    const chassisId = identifier(
      row[REM.chassisId],
      toNumber(row[REM.chassisIdSubtype]),
      'chassis',
    );
    const remotePort = identifier(row[REM.portId], toNumber(row[REM.portIdSubtype]), 'port');
    if (!chassisId || !remotePort) continue;
    // The description names the port as people do (lldpd: the interface name); the port id is
    // often a MAC address.
    const local = locPortTable[localPortNum];
    const localPort =
      (local && toText(local[LOC.portDesc])) ||
      (local && identifier(local[LOC.portId], toNumber(local[LOC.portIdSubtype]), 'port')) ||
      `port ${localPortNum}`;
    neighbors.push({
      localPort,
      remoteChassisId: chassisId,
      remoteSysName: toText(row[REM.sysName]) || null,
      remotePort,
      remotePortDescr: toText(row[REM.portDesc]) || null,
    });
  }
  return neighbors;
}

function identifier(value: unknown, subtype: number | null, kind: 'chassis' | 'port'): string {
  if (!Buffer.isBuffer(value)) return toText(value) ?? '';
  const isMac = kind === 'chassis' ? subtype === CHASSIS_MAC : subtype === PORT_MAC;
  if (isMac && value.length === 6) return hex(value);
  // IANA address family 1 (IPv4), RFC 2922 / IEEE 802.1AB §9.5.2.3 networkAddress encoding.
  if (
    kind === 'chassis' &&
    subtype === CHASSIS_NETWORK_ADDRESS &&
    value[0] === 1 &&
    value.length === 5
  ) {
    return [...value.subarray(1)].join('.');
  }
  const text = value.toString('utf8');
  // eslint-disable-next-line no-control-regex -- printable ASCII or UTF-8 text only
  const printable = !/[\u0000-\u001f\u007f\ufffd]/.test(text);
  return (printable ? text : hex(value)).slice(0, 255);
}

function hex(buffer: Buffer): string {
  return [...buffer].map((b) => b.toString(16).padStart(2, '0')).join(':');
}
