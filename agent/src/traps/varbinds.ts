import { MAX_TRAP_VARBINDS, type SnmpTrapEvent, type TrapVarbind } from '@branchwatch/contract';
import snmp, { type Notification, type Varbind } from 'net-snmp';

/** RFC 3416 §4.2.6: the first two varbinds of a v2 notification are sysUpTime.0, snmpTrapOID.0. */
const SYS_UP_TIME = '1.3.6.1.2.1.1.3.0';
const SNMP_TRAP_OID = '1.3.6.1.6.3.1.1.4.1.0';
/** RFC 3584 §3.1: snmpTraps, under which the generic v1 traps get their v2 OIDs. */
const SNMP_TRAPS = '1.3.6.1.6.3.1.1.5';
const V1_TRAP_PDU = 164;

/** A received notification as the contract's event, or null when it has no trap OID. */
export function toTrapEvent(notification: Notification, at: Date): SnmpTrapEvent | null {
  const { pdu, rinfo } = notification;
  const auth = pdu as Notification['pdu'] & { community?: string; user?: string };
  const version = pdu.type === V1_TRAP_PDU ? '1' : auth.user !== undefined ? '3' : '2c';
  const trapOid = pdu.type === V1_TRAP_PDU ? v1TrapOid(pdu) : v2TrapOid(pdu.varbinds);
  if (!trapOid) return null;
  const varbinds = pdu.varbinds
    .filter((vb) => vb.oid !== SYS_UP_TIME && vb.oid !== SNMP_TRAP_OID)
    .slice(0, MAX_TRAP_VARBINDS)
    .map(toVarbind);
  return {
    kind: 'snmp-trap',
    at: at.toISOString(),
    source: rinfo.address,
    trapOid,
    version,
    varbinds,
  };
}

function v2TrapOid(varbinds: Varbind[]): string | null {
  const value = varbinds.find((vb) => vb.oid === SNMP_TRAP_OID)?.value;
  return typeof value === 'string' ? value : null;
}

/**
 * RFC 3584 §3.1 (2): generic traps 0-5 become snmpTraps.(generic+1); enterprise-specific ones
 * become enterprise.0.specific.
 */
function v1TrapOid(pdu: Notification['pdu']): string | null {
  const generic = pdu.generic ?? -1;
  if (generic >= 0 && generic <= 5) return `${SNMP_TRAPS}.${generic + 1}`;
  if (generic === 6 && pdu.enterprise) return `${pdu.enterprise}.0.${pdu.specific ?? 0}`;
  return null;
}

function toVarbind(vb: Varbind): TrapVarbind {
  const typeName = snmp.ObjectType[vb.type];
  return {
    oid: vb.oid,
    type: typeof typeName === 'string' ? typeName : String(vb.type),
    value: valueText(vb.value).slice(0, 2048),
  };
}

/** Printable octet strings as text, other octet strings as hex, everything else as its decimal. */
function valueText(value: unknown): string {
  if (Buffer.isBuffer(value)) {
    const text = value.toString('utf8');
    // eslint-disable-next-line no-control-regex -- printable text only
    return /^[^\u0000-\u0008\u000e-\u001f\u007f\ufffd]*$/.test(text) ? text : value.toString('hex');
  }
  if (value === null || value === undefined) return '';
  return String(value);
}
