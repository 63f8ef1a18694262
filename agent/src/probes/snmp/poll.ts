// eslint-disable-next-line @typescript-eslint/triple-slash-reference -- net-snmp has no types; test/tsconfig.json compiles this file too, without agent/src in its include
/// <reference path="./net-snmp.d.ts" />
import { performance } from 'node:perf_hooks';
import {
  MAX_LLDP_NEIGHBORS,
  MAX_SNMP_INTERFACES,
  type SnmpFields,
  type SnmpInterface,
} from '@branchwatch/contract';
import snmp from 'net-snmp';
import type { ProbeCheck, ProbeOutcome } from '../probe.js';
import { BLANK_FIELDS } from './fields.js';
import { LLDP_OID, readNeighbors } from './lldp.js';
import { IF_COLUMNS, IFX_COLUMNS, OID, readInterfaces, toNumber, toText } from './mib.js';
import type { InterfaceReading } from './mib.js';
import type { SnmpOptions } from './options.js';
import { detectReboot, interfaceRates, type Clocks } from './rates.js';
import { SnmpFailure, SnmpSession } from './session.js';

/** What one check's previous round left behind: the baseline for rates and changes. */
export interface CheckHistory {
  clocks: Clocks;
  interfaces: Map<number, InterfaceReading>;
  watched: Set<number>;
}

/** Checks whose history is kept; the config allows at most 1000 checks. */
const MAX_HISTORIES = 1000;

const failed = (reason: string): ProbeOutcome<'snmp'> => ({
  status: 'failed',
  reason,
  fields: BLANK_FIELDS,
});

/** One round of an snmp check (index.ts); `histories` is the probe's memory of earlier rounds. */
export async function pollAgent(
  check: ProbeCheck<SnmpOptions>,
  signal: AbortSignal,
  histories: Map<string, CheckHistory>,
): Promise<ProbeOutcome<'snmp'>> {
  const session = new SnmpSession(check.target, check.options, signal);
  try {
    return await poll(session, check, histories);
  } catch (err) {
    if (err instanceof SnmpFailure) return failed(err.message);
    throw err;
  } finally {
    session.close();
  }
}

async function poll(
  session: SnmpSession,
  check: ProbeCheck<SnmpOptions>,
  histories: Map<string, CheckHistory>,
): Promise<ProbeOutcome<'snmp'>> {
  const { options } = check;
  const started = performance.now();
  const system = await session.get([OID.sysUpTime, OID.sysName, OID.sysDescr]);
  const spanMs = performance.now() - started;
  const missing = system.find((vb) => snmp.isVarbindError(vb));
  if (missing) return failed(`no such object: ${missing.oid}`);
  const uptimeTicks = toNumber(system[0]?.value) ?? 0;
  const clocks = { atMs: started, uptimeTicks, spanMs };

  const ifTable = await session.tableColumns(OID.ifTable, Object.values(IF_COLUMNS));
  const ifXTable = await session.tableColumns(OID.ifXTable, Object.values(IFX_COLUMNS));
  const neighbors = options.lldp
    ? readNeighbors(
        await session.tableColumns(LLDP_OID.lldpRemTable, [4, 5, 6, 7, 8, 9]),
        await session.tableColumns(LLDP_OID.lldpLocPortTable, [2, 3, 4]),
        MAX_LLDP_NEIGHBORS,
      )
    : undefined;

  const previous = histories.get(check.id);
  const rebooted = previous !== undefined && detectReboot(previous.clocks, clocks);
  const readings = readInterfaces(ifTable, ifXTable);
  const { watched, unknown } = selectWatched(readings, options.interfaces, previous?.watched);
  const elapsedMs = previous ? started - previous.clocks.atMs : 0;
  const rows: SnmpInterface[] = [];
  for (const reading of readings) {
    if (!watched.has(reading.ifIndex) || rows.length >= MAX_SNMP_INTERFACES) continue;
    const before = previous?.interfaces.get(reading.ifIndex);
    rows.push({
      ifIndex: reading.ifIndex,
      name: reading.name,
      operStatus: reading.operStatus,
      ...(before && before.operStatus !== reading.operStatus
        ? { previousOperStatus: before.operStatus }
        : {}),
      ...interfaceRates(before, reading, elapsedMs, rebooted),
    });
  }

  remember(histories, check.id, {
    clocks,
    interfaces: new Map(readings.map((r) => [r.ifIndex, r])),
    watched,
  });
  const fields: SnmpFields = {
    uptimeSeconds: uptimeTicks / 100,
    rebooted: rebooted ? 1 : 0,
    responseMs: Math.round(spanMs * 1000) / 1000,
    interfaces: rows.length,
    interfacesUp: rows.filter((r) => r.operStatus === 'up').length,
    operStatusChanges: rows.filter((r) => r.previousOperStatus !== undefined).length,
  };
  return {
    status: unknown.length === 0 ? 'ok' : 'failed',
    ...(unknown.length === 0 ? {} : { reason: `no such interface: ${unknown.join(', ')}` }),
    fields,
    system: {
      sysName: toText(system[1]?.value) ?? '',
      sysDescr: toText(system[2]?.value, 1024) ?? '',
    },
    interfaces: rows,
    ...(neighbors ? { neighbors } : {}),
  };
}

/**
 * The interfaces to report. Named ones when the check names them; otherwise those that are up,
 * plus those watched before that are still there, so that going down is reported, not hidden.
 */
function selectWatched(
  readings: InterfaceReading[],
  wanted: (string | number)[],
  before: Set<number> | undefined,
): { watched: Set<number>; unknown: string[] } {
  if (wanted.length === 0) {
    const present = new Set(readings.map((r) => r.ifIndex));
    const up = readings.filter((r) => r.operStatus === 'up').map((r) => r.ifIndex);
    return {
      watched: new Set([...up, ...[...(before ?? [])].filter((i) => present.has(i))]),
      unknown: [],
    };
  }
  const watched = new Set<number>();
  const unknown: string[] = [];
  for (const want of wanted) {
    const match = readings.find((r) => (typeof want === 'number' ? r.ifIndex : r.name) === want);
    if (match) watched.add(match.ifIndex);
    else unknown.push(String(want));
  }
  return { watched, unknown };
}

function remember(histories: Map<string, CheckHistory>, id: string, history: CheckHistory) {
  histories.delete(id);
  histories.set(id, history);
  // Maps iterate in insertion order: the first key is the check polled longest ago.
  if (histories.size > MAX_HISTORIES) histories.delete(histories.keys().next().value!);
}
