import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { verifyPassword } from './password.js';

/**
 * Agents' MQTT secrets are random tokens the hub issues (`randomSecret`, 192 bits), not
 * passwords people choose: nobody can guess one, so a memory-hard KDF (argon2id, made to slow
 * down guessing of low-entropy human passwords) buys nothing and costs ~20 ms of CPU and 19 MiB
 * per connect. They are stored as HMAC-SHA-256 keyed with a random salt of their own, which is
 * as safe for such tokens and takes microseconds, so a fleet reconnecting after a hub restart
 * is not held up by its own logins (docs/decisions.md "Agent secrets: a keyed hash").
 *
 * Form: `hmac-sha256$<salt>$<digest>`, both base64url.
 */
const PREFIX = 'hmac-sha256$';

export function hashAgentSecret(secret: string): string {
  const salt = randomBytes(16);
  return `${PREFIX}${salt.toString('base64url')}$${digest(salt, secret).toString('base64url')}`;
}

/**
 * Verifies a secret against its stored hash. Hashes of earlier versions (argon2id, scrypt)
 * still verify, and `upgrade` says to store `hashAgentSecret` instead after this login.
 */
export async function verifyAgentSecret(
  secret: string,
  stored: string,
): Promise<{ ok: boolean; upgrade: boolean }> {
  if (!stored.startsWith(PREFIX)) {
    const ok = await verifyPassword(secret, stored);
    return { ok, upgrade: ok };
  }
  const [salt, expected] = stored.slice(PREFIX.length).split('$');
  if (!salt || !expected) return { ok: false, upgrade: false };
  const want = Buffer.from(expected, 'base64url');
  const got = digest(Buffer.from(salt, 'base64url'), secret);
  return { ok: want.length === got.length && timingSafeEqual(want, got), upgrade: false };
}

const digest = (salt: Buffer, secret: string) =>
  createHmac('sha256', salt).update(secret, 'utf8').digest();
