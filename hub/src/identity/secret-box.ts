import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';

/**
 * Secrets the hub must read back (TOTP secrets) are stored sealed with AES-256-GCM under a key
 * kept outside the database, so that a copy of the database alone does not give them away.
 *
 * Stored form: `v1:<key id>:<base64url of iv ‖ ciphertext ‖ tag>`. The prefix says the format
 * (a clear base32 secret never contains `:`), the key id (first 8 hex digits of the key's
 * SHA-256) tells "another key" apart from "tampered" in the error, and the additional
 * authenticated data binds a value to its row and column, so a sealed secret copied to another
 * user does not open there (NIST SP 800-38D §5.2.1.2: 96-bit IV, 128-bit tag).
 */
const FORMAT = 'v1';
const KEY_BYTES = 32;
const IV_BYTES = 12;
const TAG_BYTES = 16;

/** Why a stored secret could not be opened; the hub answers it without crashing. */
export class SecretBoxError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SecretBoxError';
  }
}

export class SecretBox {
  readonly keyId: string;

  constructor(private readonly key: Buffer) {
    if (key.length !== KEY_BYTES) throw new Error(`the secret key must be ${KEY_BYTES} bytes`);
    this.keyId = createHash('sha256').update(key).digest('hex').slice(0, 8);
  }

  /** True when a stored value is already sealed (in any known format). */
  static isSealed(stored: string): boolean {
    return stored.startsWith(`${FORMAT}:`);
  }

  /** Seals `plain`; `context` (e.g. `users.totp_secret:<id>`) must be given again to open. */
  seal(plain: string, context: string): string {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    cipher.setAAD(Buffer.from(context));
    const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
    const sealed = Buffer.concat([iv, body, cipher.getAuthTag()]).toString('base64url');
    return `${FORMAT}:${this.keyId}:${sealed}`;
  }

  open(stored: string, context: string): string {
    const [format, keyId, sealed, ...rest] = stored.split(':');
    if (format !== FORMAT || !keyId || sealed === undefined || rest.length > 0) {
      throw new SecretBoxError('the stored secret is not in a sealed format this hub reads');
    }
    if (keyId !== this.keyId) {
      throw new SecretBoxError(
        `the stored secret was sealed with another key (id ${keyId}; this hub's key is ` +
          `${this.keyId}): the secret key file is lost or wrong`,
      );
    }
    const raw = Buffer.from(sealed, 'base64url');
    if (raw.length < IV_BYTES + TAG_BYTES) throw new SecretBoxError('the stored secret is cut');
    const decipher = createDecipheriv('aes-256-gcm', this.key, raw.subarray(0, IV_BYTES));
    decipher.setAAD(Buffer.from(context));
    decipher.setAuthTag(raw.subarray(raw.length - TAG_BYTES));
    try {
      const body = raw.subarray(IV_BYTES, raw.length - TAG_BYTES);
      return Buffer.concat([decipher.update(body), decipher.final()]).toString('utf8');
    } catch {
      throw new SecretBoxError('the stored secret does not authenticate: it was changed');
    }
  }
}

/**
 * The key from `file` (base64 of 32 bytes). A missing file is created with mode 0600 when
 * `create` is set (the default location in the data folder); a file named in the config must
 * exist, since a fresh key would silently orphan every sealed secret.
 */
export async function loadSecretKey(file: string, create: boolean): Promise<Buffer> {
  const text = await fs.readFile(file, 'utf8').catch((err: NodeJS.ErrnoException) => {
    if (err.code === 'ENOENT') return undefined;
    throw err;
  });
  if (text !== undefined) return parseKey(text, file);
  if (!create) throw new Error(`BW_SECRET_KEY_FILE: ${file} does not exist`);
  await fs.mkdir(path.dirname(file), { recursive: true });
  // Written aside, then linked into place: link fails if another hub process got there first,
  // and nobody ever reads a half-written key.
  const aside = `${file}.${process.pid}.${randomBytes(4).toString('hex')}`;
  await fs.writeFile(aside, `${randomBytes(KEY_BYTES).toString('base64')}\n`, {
    mode: 0o600,
    flag: 'wx',
  });
  try {
    await fs.link(aside, file);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
  } finally {
    await fs.rm(aside, { force: true });
  }
  return parseKey(await fs.readFile(file, 'utf8'), file);
}

function parseKey(text: string, file: string): Buffer {
  const key = Buffer.from(text.trim(), 'base64');
  if (key.length !== KEY_BYTES) {
    throw new Error(`${file}: not a secret key (want base64 of ${KEY_BYTES} random bytes)`);
  }
  return key;
}

/** Where the key lives: BW_SECRET_KEY_FILE, else `secret.key` in the data folder. */
export function secretKeyPath(config: {
  dataDir: string;
  identity: { secretKeyFile: string | undefined };
}): { file: string; configured: boolean } {
  const configured = config.identity.secretKeyFile;
  return configured
    ? { file: configured, configured: true }
    : { file: path.join(config.dataDir, SECRET_KEY_FILE), configured: false };
}

export const SECRET_KEY_FILE = 'secret.key';
