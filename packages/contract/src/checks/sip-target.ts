import { isIP } from 'node:net';
import { hostProblem } from './hosts.js';

export interface SipTarget {
  host: string;
  port: number;
}

/** RFC 3261 §19.1.2: 5060 when the port is left out (no TLS here, so never 5061). */
export const SIP_DEFAULT_PORT = 5060;

/**
 * Parses `host`, `host:port`, `[v6]` or `[v6]:port`, with an optional `sip:` prefix so a SIP URI
 * copied from a phone's settings works as is. DNS SRV (RFC 3263) is not looked up: the target is
 * the server to measure, not a domain to route to.
 */
export function parseSipTarget(target: string): SipTarget | string {
  const text = target.replace(/^sip:/i, '');
  const bracketed = /^\[([^\]]+)\](?::(\d{1,5}))?$/.exec(text);
  const plain = /^([^:[\]\s]+)(?::(\d{1,5}))?$/.exec(text);
  const match = bracketed ?? plain;
  if (!match) return 'expected host or host:port, with IPv6 addresses in brackets ([::1]:5060)';
  const host = match[1]!;
  const port = match[2] === undefined ? SIP_DEFAULT_PORT : Number(match[2]);
  if (bracketed && isIP(host) !== 6) return `"${host}" is not an IPv6 address`;
  const problem = bracketed ? null : hostProblem(host);
  if (problem) return problem;
  if (port < 1 || port > 65535) return `port ${port} is outside 1-65535`;
  return { host, port };
}
