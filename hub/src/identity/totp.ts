import { createHash, randomBytes } from 'node:crypto';
import { Secret, TOTP } from 'otpauth';

/**
 * TOTP (RFC 6238) with the parameters every authenticator app understands: SHA-1, 6 digits,
 * 30-second steps. One step either side is accepted for clock drift (RFC 6238 §5.2), and the
 * caller rejects a step it has already accepted (same clause: a code is good once).
 */
const ISSUER = 'Branchwatch';
const PERIOD = 30;

function totp(secret: string, label = 'user'): TOTP {
  return new TOTP({
    issuer: ISSUER,
    label,
    algorithm: 'SHA1',
    digits: 6,
    period: PERIOD,
    secret: Secret.fromBase32(secret),
  });
}

/** A new 160-bit secret (RFC 4226 §4 recommends 160 bits), base32. */
export function newTotpSecret(): string {
  return new Secret({ size: 20 }).base32;
}

export async function enrolmentOf(secret: string, username: string) {
  const uri = totp(secret, username).toString();
  // Loaded when someone enrols, not at start (docs/benchmarks.md, "Time to chart and the idle hub").
  const { default: QRCode } = await import('qrcode');
  const qrCode = await QRCode.toDataURL(uri, { errorCorrectionLevel: 'M', margin: 1 });
  return { secret, uri, qrCode };
}

/** The time step the code belongs to, or undefined when it matches none near `now`. */
export function acceptedStep(secret: string, code: string, now = Date.now()): number | undefined {
  if (!/^\d{6}$/.test(code)) return undefined;
  const delta = totp(secret).validate({ token: code, timestamp: now, window: 1 });
  if (delta === null) return undefined;
  return Math.floor(now / 1000 / PERIOD) + delta;
}

/** Ten single-use recovery codes like `k7qp-2mxd-9fha`, and the hashes to store. */
export function newRecoveryCodes(count = 10): { codes: string[]; hashes: string[] } {
  const alphabet = 'abcdefghjkmnpqrstuvwxyz23456789'; // no 0/o, 1/l/i to misread
  const codes = Array.from({ length: count }, () => {
    const bytes = randomBytes(12);
    const chars = Array.from(bytes, (b) => alphabet[b % alphabet.length]).join('');
    return `${chars.slice(0, 4)}-${chars.slice(4, 8)}-${chars.slice(8, 12)}`;
  });
  return { codes, hashes: codes.map(recoveryCodeHash) };
}

/** Codes are random (about 59 bits), so SHA-256 is enough; case and dashes are forgiven. */
export function recoveryCodeHash(code: string): string {
  const normal = code.toLowerCase().replace(/[^a-z0-9]/g, '');
  return createHash('sha256').update(normal).digest('hex');
}
