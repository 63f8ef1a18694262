import { isIP } from 'node:net';

// A SIP target's syntax is the contract's, so the hub refuses what this probe would.
export { parseSipTarget, SIP_DEFAULT_PORT, type SipTarget } from '@branchwatch/contract';

/** The host as it goes into a SIP URI: IPv6 in brackets (RFC 3261 §25.1 IPv6reference). */
export function uriHost(host: string): string {
  return isIP(host) === 6 ? `[${host}]` : host;
}
