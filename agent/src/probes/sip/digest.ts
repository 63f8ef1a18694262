import { createHash, randomBytes } from 'node:crypto';
import { splitValues } from './message.js';

/** One `Digest` challenge from WWW-Authenticate or Proxy-Authenticate (RFC 2617 §3.2.1). */
export interface DigestChallenge {
  realm: string;
  nonce: string;
  opaque?: string;
  /** The qop options the server offers; empty for an RFC 2069-style challenge. */
  qop: string[];
  algorithm: string;
  stale: boolean;
}

export interface DigestCredentials {
  username: string;
  password: string;
}

/** Hash functions by algorithm token: RFC 2617 (MD5) and RFC 7616 / RFC 8760 (SHA-256). */
const HASHES: Record<string, string> = { MD5: 'md5', 'SHA-256': 'sha256' };

/** Parses the first Digest challenge of a header value; null when there is none we can answer. */
export function parseChallenge(value: string): DigestChallenge | null {
  const scheme = /^\s*Digest\s+/i.exec(value);
  if (!scheme) return null;
  const params = new Map<string, string>();
  for (const part of splitValues(value.slice(scheme[0].length))) {
    const kv = /^([\w-]+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^\s,]*))$/.exec(part);
    if (kv) params.set(kv[1]!.toLowerCase(), kv[2]?.replace(/\\(.)/g, '$1') ?? kv[3]!);
  }
  const realm = params.get('realm');
  const nonce = params.get('nonce');
  const algorithm = (params.get('algorithm') ?? 'MD5').toUpperCase();
  if (realm === undefined || nonce === undefined) return null;
  if (!HASHES[algorithm.replace(/-SESS$/, '')]) return null;
  const qop = (params.get('qop') ?? '')
    .split(',')
    .map((q) => q.trim().toLowerCase())
    .filter(Boolean);
  const opaque = params.get('opaque');
  return {
    realm,
    nonce,
    qop,
    algorithm,
    stale: params.get('stale')?.toLowerCase() === 'true',
    ...(opaque === undefined ? {} : { opaque }),
  };
}

export interface DigestInput {
  challenge: DigestChallenge;
  credentials: DigestCredentials;
  method: string;
  uri: string;
  /** How many requests this nonce has signed so far, this one included (RFC 2617 §3.2.2 nc). */
  nonceCount: number;
  /** Fixed only in tests; random otherwise. */
  cnonce?: string;
}

/**
 * The `Authorization` value answering a challenge (RFC 2617 §3.2.2, RFC 3261 §22.4). With qop=auth
 * the response covers nc and cnonce, so a captured answer cannot be replayed for another request;
 * auth-int (a hash of the body) is never chosen since the probe sends no body it would protect.
 */
export function digestAuthorization(input: DigestInput): string {
  const { challenge, credentials, method, uri, nonceCount } = input;
  const algorithm = challenge.algorithm;
  const hash = HASHES[algorithm.replace(/-SESS$/, '')]!;
  const h = (text: string) => createHash(hash).update(text, 'utf8').digest('hex');
  const cnonce = input.cnonce ?? randomBytes(8).toString('hex');
  const nc = nonceCount.toString(16).padStart(8, '0');
  const useQop = challenge.qop.includes('auth');
  let ha1 = h(`${credentials.username}:${challenge.realm}:${credentials.password}`);
  // RFC 2617 §3.2.2.2: the -sess variants bind HA1 to this nonce and cnonce.
  if (algorithm.endsWith('-SESS')) ha1 = h(`${ha1}:${challenge.nonce}:${cnonce}`);
  const ha2 = h(`${method}:${uri}`);
  const response = useQop
    ? h(`${ha1}:${challenge.nonce}:${nc}:${cnonce}:auth:${ha2}`)
    : h(`${ha1}:${challenge.nonce}:${ha2}`);
  const quote = (s: string) => `"${s.replace(/(["\\])/g, '\\$1')}"`;
  const parts = [
    `username=${quote(credentials.username)}`,
    `realm=${quote(challenge.realm)}`,
    `nonce=${quote(challenge.nonce)}`,
    `uri=${quote(uri)}`,
    `response=${quote(response)}`,
    `algorithm=${algorithm}`,
  ];
  if (challenge.opaque !== undefined) parts.push(`opaque=${quote(challenge.opaque)}`);
  // RFC 2617 §3.2.2: qop and nc are unquoted tokens; cnonce is quoted.
  if (useQop) parts.push('qop=auth', `nc=${nc}`, `cnonce=${quote(cnonce)}`);
  return `Digest ${parts.join(', ')}`;
}
