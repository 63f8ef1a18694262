import { existsSync } from 'node:fs';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { HubConfig } from '../config/config.js';
import type { Database } from '../db/database.js';
import { migrate } from '../db/database.js';
import { migrationSource } from '../db/migrations/index.js';
import type { Logger } from '../core/logger.js';
import { unpackArchive, type BackupManifest } from './archive.js';
import { SECRET_KEY_FILE, loadSecretKey, secretKeyPath } from '../identity/secret-box.js';
import { ATTACHMENTS_DIR, SECRET_KEY_DIR } from './backup.js';
import { openHubDatabase } from './hub-database.js';
import { loadDatabase } from './logical-dump.js';

export class RestoreRefused extends Error {
  override name = 'RestoreRefused';
}

export interface RestoreOptions {
  in: string;
  /** Where to write the config file saved in the backup; it is not written otherwise. */
  configOut: string | undefined;
}

/**
 * Restores a backup into an empty hub: a BW_DATA_DIR the hub never started in, or an empty
 * DATABASE_URL database. A database with any table is refused, so that a restore can never
 * mix two hubs' data or overwrite a live one.
 */
export async function restoreHub(
  config: HubConfig,
  options: RestoreOptions,
  logger: Logger,
): Promise<BackupManifest> {
  const staging = await fs.mkdtemp(path.join(os.tmpdir(), 'bw-restore-'));
  try {
    await unpackArchive(path.resolve(options.in), staging);
    const manifest = await readManifest(staging);
    await refuseNonEmptyAttachments(config.dataDir);
    const secretKey = await restorableSecretKey(config, staging);
    if (manifest.config && options.configOut && existsSync(options.configOut)) {
      throw new RestoreRefused(`${options.configOut} exists; it is not overwritten`);
    }
    const database = await openHubDatabase(config, logger);
    try {
      await refuseNonEmpty(database.db);
      await migrateTo(database.db, manifest.database.migrations);
      await loadDatabase(database.db, path.join(staging, 'db'), manifest.database);
      const applied = await migrate(database.db);
      if (applied.length) logger.info({ applied }, 'migrated the restored data to this version');
    } finally {
      await database.close();
    }
    if (existsSync(path.join(staging, ATTACHMENTS_DIR))) {
      await fs.cp(path.join(staging, ATTACHMENTS_DIR), path.join(config.dataDir, ATTACHMENTS_DIR), {
        recursive: true,
        preserveTimestamps: true,
      });
    }
    if (secretKey) await placeSecretKey(secretKey.from, secretKey.to);
    if (manifest.config && options.configOut) {
      await fs.copyFile(path.join(staging, 'config', manifest.config), options.configOut);
      await fs.chmod(options.configOut, 0o600);
    }
    return manifest;
  } finally {
    await fs.rm(staging, { recursive: true, force: true });
  }
}

async function readManifest(dir: string): Promise<BackupManifest> {
  const file = path.join(dir, 'manifest.json');
  if (!existsSync(file)) throw new RestoreRefused('not a Branchwatch backup: no manifest.json');
  const manifest = JSON.parse(await fs.readFile(file, 'utf8')) as BackupManifest;
  if (manifest.format !== 'branchwatch-backup' || manifest.version !== 1) {
    throw new RestoreRefused(
      `not a Branchwatch backup of format 1: ${manifest.format} ${manifest.version}`,
    );
  }
  return manifest;
}

async function refuseNonEmpty(db: Database): Promise<void> {
  const result = await db.raw(
    `SELECT c.relname AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
     WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'p') ORDER BY 1 LIMIT 5`,
  );
  const tables = (result.rows as { name: string }[]).map((r) => r.name);
  if (tables.length > 0) {
    throw new RestoreRefused(
      `the hub's database is not empty (it has tables: ${tables.join(', ')}…); restore only into ` +
        'an empty hub: a new BW_DATA_DIR, or DATABASE_URL naming an empty database',
    );
  }
}

async function refuseNonEmptyAttachments(dataDir: string): Promise<void> {
  const dir = path.join(dataDir, ATTACHMENTS_DIR);
  if (existsSync(dir) && (await fs.readdir(dir)).length > 0) {
    throw new RestoreRefused(`${dir} is not empty; restore only into an empty hub`);
  }
}

/**
 * The backup's secret key and where it goes (BW_SECRET_KEY_FILE, else the data folder).
 * A different key already there is refused: the restored TOTP secrets open only with the
 * backup's key. The same key there (e.g. BW_SECRET_KEY_FILE copied by hand) is kept.
 */
async function restorableSecretKey(config: HubConfig, staging: string) {
  const from = path.join(staging, SECRET_KEY_DIR, SECRET_KEY_FILE);
  if (!existsSync(from)) return undefined;
  const to = secretKeyPath(config).file;
  if (!existsSync(to)) return { from, to };
  const [backed, present] = [await loadSecretKey(from, false), await loadSecretKey(to, false)];
  if (backed.equals(present)) return undefined;
  throw new RestoreRefused(
    `${to} holds another secret key than the backup's; the restored two-factor secrets open ` +
      'only with the backup key: move that file away and restore again',
  );
}

async function placeSecretKey(from: string, to: string): Promise<void> {
  await fs.mkdir(path.dirname(to), { recursive: true });
  await fs.copyFile(from, to, fs.constants.COPYFILE_EXCL);
  await fs.chmod(to, 0o600);
}

/** Applies migrations one by one up to the backup's schema version. */
async function migrateTo(db: Database, wanted: string[]): Promise<void> {
  const known = await migrationSource.getMigrations([]);
  const unknown = wanted.find((name, i) => known[i] !== name);
  if (unknown) {
    throw new RestoreRefused(
      `the backup was made by a hub with migration ${unknown}, which this hub does not have: restore with that hub version or newer`,
    );
  }
  for (let i = 0; i < wanted.length; i++) {
    await db.migrate.up({ migrationSource });
  }
}
