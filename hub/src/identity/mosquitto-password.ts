import { pbkdf2, randomBytes } from 'node:crypto';

/**
 * A password hash in Mosquitto's own format, as `mosquitto_passwd` writes it (mosquitto 2.0,
 * src/password_mosq.c): `$7$<iterations>$<base64 salt>$<base64 PBKDF2-SHA512 key>`, with a
 * 12-byte salt and a 64-byte key. Mosquitto reads the iteration count from the hash; ours is
 * higher than mosquitto_passwd's default of 101.
 */
const ITERATIONS = 1000;
const SALT_BYTES = 12;
const KEY_BYTES = 64;

export function mosquittoHash(password: string, iterations = ITERATIONS): Promise<string> {
  const salt = randomBytes(SALT_BYTES);
  return new Promise((resolve, reject) =>
    pbkdf2(password, salt, iterations, KEY_BYTES, 'sha512', (err, key) =>
      err
        ? reject(err)
        : resolve(`$7$${iterations}$${salt.toString('base64')}$${key.toString('base64')}`),
    ),
  );
}
