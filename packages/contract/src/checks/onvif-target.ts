import { isIP } from 'node:net';
import { hostProblem } from './hosts.js';

/** Where a device's device service is: ONVIF Core §5.1.1 names /onvif/device_service. */
export interface OnvifDeviceAddress {
  hostname: string;
  port: number;
  path: string;
  secure: boolean;
}

export const ONVIF_DEFAULT_PATH = '/onvif/device_service';

/**
 * A target is a device service URL (an XAddr, as WS-Discovery reports it) or a bare host with
 * an optional port: `http://192.0.2.20/onvif/device_service`, `192.0.2.20`, `cam-1:8080`,
 * `[2001:db8::20]:80`. A bare host means HTTP on port 80 and the default path.
 */
export function parseOnvifTarget(target: string): OnvifDeviceAddress | string {
  if (target.includes('://')) {
    if (!URL.canParse(target)) return 'not a valid URL';
    const url = new URL(target);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') {
      return 'expected an http:// or https:// URL';
    }
    if (url.username || url.password) return 'put credentials in options, not in the URL';
    const secure = url.protocol === 'https:';
    return {
      hostname: url.hostname.replace(/^\[(.*)\]$/, '$1'),
      port: url.port ? Number(url.port) : secure ? 443 : 80,
      path: url.pathname === '/' ? ONVIF_DEFAULT_PATH : url.pathname + url.search,
      secure,
    };
  }
  const bracketed = /^\[([^\]]+)\](?::(\d{1,5}))?$/.exec(target);
  const plain = /^([^:[\]\s/]+)(?::(\d{1,5}))?$/.exec(target);
  const match = bracketed ?? plain;
  if (!match) {
    return 'expected host, host:port or an http(s):// URL, with IPv6 addresses in brackets';
  }
  const hostname = match[1]!;
  if (bracketed && isIP(hostname) !== 6) return `"${hostname}" is not an IPv6 address`;
  const problem = bracketed ? null : hostProblem(hostname);
  if (problem) return problem;
  const port = match[2] === undefined ? 80 : Number(match[2]);
  if (port < 1 || port > 65535) return `port ${port} is outside 1-65535`;
  return { hostname, port, path: ONVIF_DEFAULT_PATH, secure: false };
}
