import { isIP } from 'node:net';
import { z } from 'zod';

export const RECORD_TYPES = [
  'A',
  'AAAA',
  'CAA',
  'CNAME',
  'MX',
  'NAPTR',
  'NS',
  'PTR',
  'SOA',
  'SRV',
  'TXT',
] as const;
export type RecordType = (typeof RECORD_TYPES)[number];

const answerText = z.string().min(1).max(255);

export const dnsOptions = z.strictObject({
  /** `ip`, `ip:port` or `[ipv6]:port`; by default the host's own resolvers (resolv.conf). */
  server: z
    .string()
    .refine(
      (server) => parseServer(server) !== null,
      'expected 192.0.2.53, 192.0.2.53:5353 or [2001:db8::53]:53',
    )
    .optional(),
  recordType: z.enum(RECORD_TYPES).default('A'),
  /** Some answer must equal (`exact`) or contain (`contains`) this text, case-insensitively. */
  expect: z
    .union([z.strictObject({ exact: answerText }), z.strictObject({ contains: answerText })])
    .optional(),
  /** Queries sent before giving up (c-ares `tries`); UDP loses packets, so one retry by default. */
  attempts: z.number().int().min(1).max(5).default(2),
  /**
   * How long one attempt waits for a reply (c-ares `timeout`; c-ares doubles it for each retry and
   * Node checks it on a timer of up to 1 s, so the real wait is longer). The check's
   * `timeoutSeconds` still bounds the whole round: the runner cancels the query at its deadline.
   */
  attemptTimeoutMs: z.number().int().min(100).max(30_000).default(2000),
});

export type DnsOptions = z.infer<typeof dnsOptions>;

export interface DnsServer {
  host: string;
  port: number;
  /** As `Resolver.setServers` takes it: `192.0.2.53:5353`, `[2001:db8::53]:53`. */
  address: string;
}

/** Parses a server address; host names are refused, as a resolver cannot resolve its own server. */
export function parseServer(server: string): DnsServer | null {
  const bracketed = /^\[([^\]]+)\]:(\d{1,5})$/.exec(server);
  const withPort = /^([\d.]+):(\d{1,5})$/.exec(server);
  const [host, port] = bracketed
    ? [bracketed[1]!, Number(bracketed[2])]
    : withPort
      ? [withPort[1]!, Number(withPort[2])]
      : [server, 53];
  const family = isIP(host);
  if (family === 0 || port < 1 || port > 65535) return null;
  if (bracketed && family !== 6) return null;
  return { host, port, address: family === 6 ? `[${host}]:${port}` : `${host}:${port}` };
}
