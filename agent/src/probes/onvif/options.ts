// The options schema is the contract's (packages/contract/src/checks), so the hub judges a
// check the hub manages by the same rules as this probe.
export { onvifOptions, type OnvifOptions } from '@branchwatch/contract';
