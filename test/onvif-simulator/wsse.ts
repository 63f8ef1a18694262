import { createHash, timingSafeEqual } from 'node:crypto';

const PASSWORD_DIGEST =
  'http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-username-token-profile-1.0#PasswordDigest';

/** The parts of a wsse:UsernameToken the simulator checks. */
export interface UsernameToken {
  username: string;
  password: string;
  passwordType: string | undefined;
  nonce: string | undefined;
  created: string | undefined;
}

export interface Credentials {
  username: string;
  password: string;
}

/**
 * WS-Security UsernameToken Profile 1.0 §3.1:
 * PasswordDigest = Base64(SHA-1(nonce + created + password)), with the nonce's raw bytes
 * (it travels Base64-encoded) and `created` exactly as sent.
 */
export function passwordDigest(nonceBase64: string, created: string, password: string): string {
  return createHash('sha1')
    .update(
      Buffer.concat([
        Buffer.from(nonceBase64, 'base64'),
        Buffer.from(created, 'utf8'),
        Buffer.from(password, 'utf8'),
      ]),
    )
    .digest('base64');
}

/**
 * Checks tokens as a device does, keeping the nonces it has seen. Profile 1.0 §3.1 recommends
 * refusing a `Created` older than a freshness limit ("a value of 5 minutes can be used") and a
 * nonce already used within it, which is what stops a captured header from being replayed.
 */
export class UsernameTokenVerifier {
  private readonly seen = new Map<string, number>();

  constructor(
    private readonly freshnessMs = 5 * 60_000,
    /** Bound on remembered nonces, so a flood cannot grow the map without end. */
    private readonly maxNonces = 10_000,
  ) {}

  /** Null when the token proves the password; otherwise why not (for the fault's reason). */
  verify(token: UsernameToken, expected: Credentials, deviceNowMs: number): string | null {
    if (token.passwordType !== PASSWORD_DIGEST) return 'only PasswordDigest is accepted';
    if (!token.nonce || !token.created) return 'PasswordDigest needs Nonce and Created';
    const created = Date.parse(token.created);
    if (Number.isNaN(created)) return 'Created is not a date';
    if (Math.abs(deviceNowMs - created) > this.freshnessMs) return 'Created is stale';
    if (token.username !== expected.username) return 'unknown user';
    const want = Buffer.from(passwordDigest(token.nonce, token.created, expected.password));
    const got = Buffer.from(token.password);
    if (want.length !== got.length || !timingSafeEqual(want, got)) return 'wrong password';
    if (this.seen.has(token.nonce)) return 'nonce already used';
    this.remember(token.nonce, deviceNowMs);
    return null;
  }

  private remember(nonce: string, nowMs: number): void {
    for (const [old, at] of this.seen) {
      if (nowMs - at <= this.freshnessMs && this.seen.size < this.maxNonces) break;
      this.seen.delete(old);
    }
    this.seen.set(nonce, nowMs);
  }
}
