import { createHmac, timingSafeEqual } from 'node:crypto';

export const TIMESTAMP_HEADER = 'X-Branchwatch-Timestamp';
export const SIGNATURE_HEADER = 'X-Branchwatch-Signature';

/**
 * `v1=` + hex HMAC-SHA256 over `timestamp + "." + body`, as Stripe signs webhooks: binding
 * the timestamp lets a receiver refuse replays older than its tolerance.
 */
export function sign(secret: string, timestamp: number, body: string): string {
  return `v1=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

/** For receivers (and tests): constant-time comparison of a `v1=` signature. */
export function verify(secret: string, timestamp: number, body: string, header: string): boolean {
  const expected = Buffer.from(sign(secret, timestamp, body));
  const given = Buffer.from(header);
  return expected.length === given.length && timingSafeEqual(expected, given);
}
