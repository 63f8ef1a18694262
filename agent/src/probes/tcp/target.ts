// A tcp target's syntax is the contract's, so the hub refuses what this probe would.
export { parseHostPort, type HostPort } from '@branchwatch/contract';
