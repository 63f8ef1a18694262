import { isIP } from 'node:net';

// RFC 1123 §2.1 host names: letters, digits and hyphens in dot-separated labels.
const HOST_NAME =
  /^(?=.{1,253}$)[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*\.?$/i;

// RFC 1035 §2.3.4 lengths; underscores are allowed for service labels (_sip._udp, RFC 2782).
const DOMAIN_NAME =
  /^(?=.{1,253}\.?$)[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9])?(?:\.[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9])?)*\.?$/i;

/**
 * Why `host` is neither an IP address nor a host name, or null when it is one. A name of digits
 * and dots only is taken for an IPv4 address (RFC 1123 §2.1: a top-level label is never all
 * digits), so `999.1.1.1` is refused instead of being looked up in DNS.
 */
export function hostProblem(host: string): string | null {
  if (isIP(host) !== 0) return null;
  if (/^[\d.]+$/.test(host)) return `"${host}" is not a valid IPv4 address`;
  return HOST_NAME.test(host) ? null : `"${host}" is not an IP address or a host name`;
}

/** Why `name` is not a domain name a DNS query can ask for (or an IP address, for PTR). */
export function domainProblem(name: string): string | null {
  if (isIP(name) !== 0) return null;
  if (/^[\d.]+$/.test(name)) return `"${name}" is not a valid IPv4 address`;
  return DOMAIN_NAME.test(name) ? null : 'expected a domain name (or, for PTR, an IP address)';
}
