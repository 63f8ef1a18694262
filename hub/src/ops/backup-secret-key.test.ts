import { randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { createTestDatabase, withDatabase } from '../../../test/support/database.js';
import { loadConfig } from '../config/config.js';
import { connectDatabase } from '../db/database.js';
import { createLogger } from '../core/logger.js';
import { SECRET_KEY_FILE, SecretBox, loadSecretKey } from '../identity/secret-box.js';
import { backupHub } from './backup.js';
import { RestoreRefused, restoreHub } from './restore.js';

// The key that seals TOTP secrets travels with the database in a backup (docs/disaster-
// recovery.md): a restored hub opens the restored secrets, and a restore never swaps keys.
const logger = createLogger('silent');
let work: string;
let sourceUrl: string;

/** An empty database on the test server: what a restore wants. */
async function emptyDatabase(): Promise<string> {
  const name = `bw_restore_${randomBytes(6).toString('hex')}`;
  const admin = connectDatabase(withDatabase(inject('postgresUrl'), 'postgres'));
  try {
    await admin.raw(`CREATE DATABASE ${name}`);
  } finally {
    await admin.destroy();
  }
  return withDatabase(inject('postgresUrl'), name);
}

const folder = async (name: string) => {
  const dir = path.join(work, name);
  await fs.mkdir(dir);
  return dir;
};

beforeAll(async () => {
  work = await fs.mkdtemp(path.join(os.tmpdir(), 'bw-backup-key-'));
  sourceUrl = await createTestDatabase();
});

afterAll(async () => {
  if (work) await fs.rm(work, { recursive: true, force: true });
});

describe('backup and restore of the secret key', () => {
  it('carries the key, so that restored TOTP secrets still open', async () => {
    const sourceDir = await folder('source');
    const key = await loadSecretKey(path.join(sourceDir, SECRET_KEY_FILE), true);
    const db = connectDatabase(sourceUrl);
    const [user] = await db('users')
      .insert({
        username: 'kept',
        role: 'viewer',
        password_hash: 'x',
        totp_secret: 'placeholder',
      })
      .returning('id');
    const context = `users.totp_secret:${user.id}`;
    const sealed = new SecretBox(key).seal('JBSWY3DPEHPK3PXP', context);
    await db('users').where({ id: user.id }).update({ totp_secret: sealed });
    await db.destroy();

    const archive = path.join(work, 'hub.tar.gz');
    const source = loadConfig({ DATABASE_URL: sourceUrl, BW_DATA_DIR: sourceDir });
    await backupHub(source, { out: archive, configFile: undefined, hubVersion: 'test' }, logger);

    const targetDir = await folder('target');
    const targetUrl = await emptyDatabase();
    const target = loadConfig({ DATABASE_URL: targetUrl, BW_DATA_DIR: targetDir });
    await restoreHub(target, { in: archive, configOut: undefined }, logger);

    const restoredFile = path.join(targetDir, SECRET_KEY_FILE);
    expect((await fs.stat(restoredFile)).mode & 0o777).toBe(0o600);
    const restoredKey = await loadSecretKey(restoredFile, false);
    expect(restoredKey.equals(key)).toBe(true);
    const restored = connectDatabase(targetUrl);
    const row = await restored('users').where({ id: user.id }).first('totp_secret');
    await restored.destroy();
    expect(row.totp_secret).toBe(sealed);
    expect(new SecretBox(restoredKey).open(row.totp_secret, context)).toBe('JBSWY3DPEHPK3PXP');

    // A data folder that already holds another key: refused before anything is loaded.
    const otherDir = await folder('other');
    await loadSecretKey(path.join(otherDir, SECRET_KEY_FILE), true);
    const otherUrl = await emptyDatabase();
    const other = loadConfig({ DATABASE_URL: otherUrl, BW_DATA_DIR: otherDir });
    const refused = restoreHub(other, { in: archive, configOut: undefined }, logger);
    await expect(refused).rejects.toBeInstanceOf(RestoreRefused);
    await expect(refused).rejects.toThrow(/holds another secret key than the backup's/);
    const untouched = connectDatabase(otherUrl);
    const tables = await untouched.raw(
      `SELECT count(*)::int AS n FROM pg_tables WHERE schemaname = 'public'`,
    );
    await untouched.destroy();
    expect(tables.rows[0].n).toBe(0);
  });
});
