import { snmpRules } from '@branchwatch/contract';
import type { Probe } from '../probe.js';
import { BLANK_FIELDS } from './fields.js';
import type { SnmpOptions } from './options.js';
import type { CheckHistory } from './poll.js';

/**
 * Polls one SNMP agent (v2c, or v3 with USM): sysUpTime, sysName and sysDescr, the interface
 * counters turned into rates against the previous round, ifOperStatus changes and, on request,
 * the LLDP neighbour table. The previous round of each check is kept in memory, by check id;
 * a restart of the agent starts every baseline again.
 */
export function createSnmpProbe(): Probe<SnmpOptions, 'snmp'> {
  const histories = new Map<string, CheckHistory>();
  return {
    type: 'snmp',
    ...snmpRules,
    blankFields: () => BLANK_FIELDS,
    async run(check, signal) {
      // net-snmp is loaded with the first round, so that an agent without snmp checks (or a
      // trap receiver) does not carry it.
      const { pollAgent } = await import('./poll.js');
      return pollAgent(check, signal, histories);
    },
  };
}

export const snmpProbe = createSnmpProbe();
