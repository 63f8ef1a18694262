import { isIP } from 'node:net';
import { hostProblem } from './hosts.js';

export interface HostPort {
  host: string;
  port: number;
}

/** Parses `host:port`, `192.0.2.1:80` or `[2001:db8::1]:80` (RFC 3986 §3.2.2 brackets for IPv6). */
export function parseHostPort(target: string): HostPort | string {
  const bracketed = /^\[([^\]]+)\]:(\d{1,5})$/.exec(target);
  const plain = /^([^:[\]\s]+):(\d{1,5})$/.exec(target);
  const match = bracketed ?? plain;
  if (!match) return 'expected host:port, with IPv6 addresses in brackets ([::1]:443)';
  const host = match[1]!;
  const port = Number(match[2]);
  if (bracketed && isIP(host) !== 6) return `"${host}" is not an IPv6 address`;
  const problem = bracketed ? null : hostProblem(host);
  if (problem) return problem;
  if (port < 1 || port > 65535) return `port ${port} is outside 1-65535`;
  return { host, port };
}
