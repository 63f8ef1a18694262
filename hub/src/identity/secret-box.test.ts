import { randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SecretBox, SecretBoxError, loadSecretKey } from './secret-box.js';

let dir: string;
beforeAll(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'bw-secret-box-'));
});
afterAll(async () => {
  await fs.rm(dir, { recursive: true, force: true });
});

describe('SecretBox', () => {
  const box = new SecretBox(randomBytes(32));
  const context = 'users.totp_secret:1';

  it('opens what it sealed, with a fresh IV each time, and marks the format', () => {
    const a = box.seal('JBSWY3DPEHPK3PXP', context);
    const b = box.seal('JBSWY3DPEHPK3PXP', context);
    expect(a).not.toBe(b);
    expect(a).toMatch(new RegExp(`^v1:${box.keyId}:[A-Za-z0-9_-]+$`));
    expect(SecretBox.isSealed(a)).toBe(true);
    expect(SecretBox.isSealed('JBSWY3DPEHPK3PXP')).toBe(false);
    expect(box.open(a, context)).toBe('JBSWY3DPEHPK3PXP');
  });

  it('refuses another context, another key, a changed byte and an unknown format', () => {
    const sealed = box.seal('JBSWY3DPEHPK3PXP', context);
    const refusal = (f: () => unknown) => {
      try {
        f();
      } catch (err) {
        expect(err).toBeInstanceOf(SecretBoxError);
        return (err as Error).message;
      }
      return 'opened';
    };
    expect(refusal(() => box.open(sealed, 'users.totp_secret:2'))).toMatch(/it was changed/);
    const other = new SecretBox(randomBytes(32));
    expect(refusal(() => other.open(sealed, context))).toBe(
      `the stored secret was sealed with another key (id ${box.keyId}; this hub's key is ` +
        `${other.keyId}): the secret key file is lost or wrong`,
    );
    const raw = Buffer.from(sealed.split(':')[2]!, 'base64url');
    raw[14]! ^= 1;
    const changed = `v1:${box.keyId}:${raw.toString('base64url')}`;
    expect(refusal(() => box.open(changed, context))).toMatch(/it was changed/);
    expect(refusal(() => box.open('JBSWY3DPEHPK3PXP', context))).toBe(
      'the stored secret is not in a sealed format this hub reads',
    );
    expect(refusal(() => box.open(`v1:${box.keyId}:AAAA`, context))).toBe(
      'the stored secret is cut',
    );
  });
});

describe('loadSecretKey', () => {
  it('creates one key once, mode 0600, even when several processes start at once', async () => {
    const file = path.join(dir, 'nested', 'secret.key');
    const keys = await Promise.all(Array.from({ length: 6 }, () => loadSecretKey(file, true)));
    for (const key of keys) expect(key.equals(keys[0]!)).toBe(true);
    expect(keys[0]!.length).toBe(32);
    expect((await fs.stat(file)).mode & 0o777).toBe(0o600);
    // Nothing left beside it from the write-aside-then-link step.
    expect(await fs.readdir(path.dirname(file))).toEqual(['secret.key']);
    expect((await loadSecretKey(file, true)).equals(keys[0]!)).toBe(true);
  });
});
