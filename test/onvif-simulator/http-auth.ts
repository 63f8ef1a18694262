import { createHash, randomBytes } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Credentials } from './wsse.js';

export type SnapshotAuth = 'digest' | 'basic' | 'none';

const REALM = 'SimCam';
const md5 = (text: string) => createHash('md5').update(text).digest('hex');

/** `key="value", key=value` pairs of an Authorization header (RFC 7616 §3.4 syntax). */
export function authParams(header: string): Record<string, string> {
  const params: Record<string, string> = {};
  for (const match of header.matchAll(/([a-zA-Z0-9_-]+)=(?:"([^"]*)"|([^\s,]*))/g)) {
    params[match[1]!.toLowerCase()] = match[2] ?? match[3] ?? '';
  }
  return params;
}

/**
 * HTTP authentication of the snapshot URL as cameras do it: ONVIF Core §5.9.1 names HTTP digest
 * (RFC 7616, here MD5 with qop=auth); many cameras also take Basic (RFC 7617).
 */
export class SnapshotGuard {
  private readonly nonces = new Set<string>();

  constructor(readonly scheme: SnapshotAuth) {}

  /** Null when the request may have the picture, else the WWW-Authenticate value to send. */
  check(req: IncomingMessage, credentials: Credentials): string | null {
    if (this.scheme === 'none') return null;
    const header = req.headers.authorization ?? '';
    if (this.scheme === 'basic') {
      const expected = Buffer.from(`${credentials.username}:${credentials.password}`).toString(
        'base64',
      );
      return header === `Basic ${expected}` ? null : `Basic realm="${REALM}"`;
    }
    if (header.startsWith('Digest ') && this.digestValid(req, header, credentials)) return null;
    const nonce = randomBytes(12).toString('hex');
    if (this.nonces.size > 1000) this.nonces.clear();
    this.nonces.add(nonce);
    return `Digest realm="${REALM}", qop="auth", nonce="${nonce}", algorithm=MD5`;
  }

  private digestValid(req: IncomingMessage, header: string, credentials: Credentials): boolean {
    const p = authParams(header.slice('Digest '.length));
    if (!p.nonce || !this.nonces.has(p.nonce)) return false;
    if (p.username !== credentials.username || p.realm !== REALM || p.uri !== req.url) return false;
    // RFC 7616 §3.4.1: response = H(H(A1):nonce:nc:cnonce:qop:H(A2)) with A2 = method:uri.
    const ha1 = md5(`${credentials.username}:${REALM}:${credentials.password}`);
    const ha2 = md5(`${req.method}:${p.uri}`);
    const expected =
      p.qop === 'auth'
        ? md5(`${ha1}:${p.nonce}:${p.nc}:${p.cnonce}:auth:${ha2}`)
        : md5(`${ha1}:${p.nonce}:${ha2}`);
    return p.response === expected;
  }
}
