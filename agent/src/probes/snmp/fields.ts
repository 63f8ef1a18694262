import type { SnmpFields } from '@branchwatch/contract';

/** The fields of a round that measured nothing. */
export const BLANK_FIELDS: SnmpFields = {
  uptimeSeconds: null,
  rebooted: null,
  responseMs: null,
  interfaces: null,
  interfacesUp: null,
  operStatusChanges: null,
};
