// The options schema is the contract's (packages/contract/src/checks), so the hub judges a
// check the hub manages by the same rules as this probe.
export {
  AUTH_PROTOCOLS,
  PRIV_PROTOCOLS,
  snmpOptions,
  snmpUser,
  type SnmpOptions,
  type SnmpUser,
} from '@branchwatch/contract';
