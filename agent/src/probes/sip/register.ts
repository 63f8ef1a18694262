import {
  digestAuthorization,
  parseChallenge,
  type DigestChallenge,
  type DigestCredentials,
} from './digest.js';
import { contacts, header, type SipResponse } from './message.js';
import type { SipSession } from './session.js';
import type { TransactionResult } from './transaction.js';

export interface RegisterSpec {
  credentials: DigestCredentials;
  /** User part of the Contact. */
  user: string;
  expires: number;
}

/** What a REGISTER exchange came to: the deciding transaction and what it granted. */
export interface RegisterExchange {
  last: TransactionResult;
  credentialsSent: boolean;
  /** First request to deciding response, ms; null without a response. */
  total: number | null;
  /** Granted lifetime of our binding, s (RFC 3261 §10.2.4); null unless a 2xx said so. */
  expires: number | null;
}

/** How many challenges one exchange answers: the first, one stale nonce, one 423. */
const MAX_STEPS = 4;

/**
 * REGISTER with digest authentication (RFC 3261 §10.2 and §22.2): send, answer the challenge,
 * retry once on a stale nonce (RFC 2617 §3.2.1) and once on 423 Interval Too Brief with the
 * registrar's Min-Expires (§10.2.8). `expires` 0 removes the binding (§10.2.2); the nonce of an
 * earlier exchange is reused with the next nc, so clean-up usually needs no new challenge.
 */
export async function register(
  session: SipSession,
  spec: RegisterSpec,
  auth: AuthState,
): Promise<RegisterExchange> {
  const contact = session.contactUri(spec.user);
  let expires = spec.expires;
  let credentialsSent = false;
  let elapsed = 0;
  let last: TransactionResult = { kind: 'aborted' };
  for (let step = 0; step < MAX_STEPS; step++) {
    const authorization = auth.answer('REGISTER', session.requestUri);
    const extra = [`Contact: <${contact}>`, `Expires: ${expires}`];
    if (authorization) extra.push(`${authorization.header}: ${authorization.value}`);
    last = await session.send('REGISTER', extra);
    if (last.kind !== 'response') break;
    elapsed += last.ms;
    credentialsSent = authorization !== null;
    const response = last.response;
    if (response.code === 401 || response.code === 407) {
      const challenge = challengeOf(response);
      // Already answered and not stale: the credentials are wrong; stop (RFC 3261 §22.2).
      if (!challenge || (credentialsSent && !challenge.stale)) break;
      auth.challenged(challenge, response.code === 407);
      continue;
    }
    const minExpires = Number(header(response, 'min-expires'));
    if (response.code === 423 && Number.isInteger(minExpires) && minExpires > expires) {
      expires = minExpires;
      continue;
    }
    break;
  }
  if (last.kind !== 'response') return { last, credentialsSent, total: null, expires: null };
  const granted = last.response.code < 300 ? grantedExpiry(last.response, contact) : null;
  return { last, credentialsSent, total: elapsed, expires: granted };
}

function challengeOf(response: SipResponse): DigestChallenge | null {
  const name = response.code === 407 ? 'proxy-authenticate' : 'www-authenticate';
  for (const value of response.headers.get(name) ?? []) {
    const challenge = parseChallenge(value);
    if (challenge) return challenge;
  }
  return null;
}

/**
 * RFC 3261 §10.2.4: the 2xx lists every binding of the address of record, each with its expires
 * parameter; ours is the one with our Contact URI. The Expires header is the fallback (§10.3).
 */
export function grantedExpiry(response: SipResponse, contact: string): number | null {
  const mine = contacts(response).find((c) => sameUri(c.uri, contact));
  if (mine?.expires !== undefined && mine.expires !== null) return mine.expires;
  const header = Number(response.headers.get('expires')?.[0]);
  return Number.isInteger(header) && header >= 0 ? header : null;
}

const sameUri = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();

/** The digest state of one session: the last challenge and how often its nonce was used. */
export class AuthState {
  private challenge: DigestChallenge | null = null;
  private proxy = false;
  private nonceCount = 0;

  constructor(private readonly credentials: DigestCredentials) {}

  challenged(challenge: DigestChallenge, proxy: boolean): void {
    this.challenge = challenge;
    this.proxy = proxy;
    this.nonceCount = 0;
  }

  /** The header answering the current challenge, or null before any challenge. */
  answer(method: string, uri: string): { header: string; value: string } | null {
    if (!this.challenge) return null;
    // RFC 2617 §3.2.2: nc counts the requests this nonce has signed, so a replay is detectable.
    this.nonceCount++;
    const value = digestAuthorization({
      challenge: this.challenge,
      credentials: this.credentials,
      method,
      uri,
      nonceCount: this.nonceCount,
    });
    return { header: this.proxy ? 'Proxy-Authorization' : 'Authorization', value };
  }
}
