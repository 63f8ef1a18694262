import { existsSync } from 'node:fs';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { HubConfig } from '../config/config.js';
import type { Database } from '../db/database.js';
import type { Logger } from '../core/logger.js';
import { SECRET_KEY_FILE, secretKeyPath } from '../identity/secret-box.js';
import { packArchive, type BackupManifest } from './archive.js';
import { openHubDatabase } from './hub-database.js';
import { dumpDatabase } from './logical-dump.js';

import { ATTACHMENT_FILES_DIR } from '../helpdesk/attachment-import.js';

/** Files an older hub kept there, not yet moved into the database (attachment-import.ts). */
export const ATTACHMENTS_DIR = ATTACHMENT_FILES_DIR;
/** The key that seals TOTP secrets (identity/secret-box.ts): without it they are lost. */
export const SECRET_KEY_DIR = 'secret';

export interface BackupOptions {
  out: string;
  /** The hub's environment file (e.g. /etc/branchwatch/hub.env), saved in the archive. */
  configFile: string | undefined;
  hubVersion: string;
}

/**
 * One archive with everything a new hub needs to carry on: the database (a logical copy, which
 * holds the attachments' content), files an older hub left in BW_DATA_DIR/attachments, the
 * secret key that seals the TOTP secrets in
 * the database, and the config file (docs/disaster-recovery.md).
 * Runs while the hub runs; the database part is one consistent snapshot.
 */
export async function backupHub(
  config: HubConfig,
  options: BackupOptions,
  logger: Logger,
): Promise<BackupManifest> {
  const staging = await fs.mkdtemp(path.join(os.tmpdir(), 'bw-backup-'));
  try {
    await fs.mkdir(path.join(staging, 'db'));
    const database = await openHubDatabase(config, logger);
    let dump;
    let stored;
    try {
      dump = await dumpDatabase(database.db, path.join(staging, 'db'));
      stored = await storedAttachments(database.db);
    } finally {
      await database.close();
    }
    // Attachments are rows (ticket_attachment_chunks); files an older hub left that were not
    // moved into the database yet ride along as files, and a restored hub moves them in.
    const files = await copyAttachments(config.dataDir, staging);
    const attachments = { files: stored.files + files.files, bytes: stored.bytes + files.bytes };
    await copySecretKey(secretKeyPath(config).file, staging);
    let configName: string | undefined;
    if (options.configFile) {
      configName = path.basename(options.configFile);
      await fs.mkdir(path.join(staging, 'config'));
      await fs.copyFile(options.configFile, path.join(staging, 'config', configName));
    }
    const manifest: BackupManifest = {
      format: 'branchwatch-backup',
      version: 1,
      createdAt: new Date().toISOString(),
      hubVersion: options.hubVersion,
      database: dump,
      attachments,
      config: configName,
    };
    await fs.writeFile(path.join(staging, 'manifest.json'), JSON.stringify(manifest, null, 2));
    await fs.mkdir(path.dirname(path.resolve(options.out)), { recursive: true });
    await packArchive(staging, path.resolve(options.out));
    // The archive holds credentials (password hashes, agents', the secret key, the config).
    await fs.chmod(options.out, 0o600);
    return manifest;
  } finally {
    await fs.rm(staging, { recursive: true, force: true });
  }
}

async function storedAttachments(db: Database) {
  const result = await db.raw(
    `SELECT count(*)::int AS files, coalesce(sum(size), 0)::bigint AS bytes
     FROM ticket_attachments a
     WHERE EXISTS (SELECT 1 FROM ticket_attachment_chunks c WHERE c.attachment_id = a.id)`,
  );
  const row = result.rows[0] as { files: number; bytes: string };
  return { files: row.files, bytes: Number(row.bytes) };
}

async function copyAttachments(dataDir: string, staging: string) {
  const source = path.join(dataDir, ATTACHMENTS_DIR);
  const target = path.join(staging, ATTACHMENTS_DIR);
  if (!existsSync(source)) return { files: 0, bytes: 0 };
  await fs.cp(source, target, { recursive: true, preserveTimestamps: true });
  let files = 0;
  let bytes = 0;
  for (const entry of await fs.readdir(target, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    files++;
    bytes += (await fs.stat(path.join(entry.parentPath, entry.name))).size;
  }
  return { files, bytes };
}

/** A hub that never started has no key yet; then there is nothing sealed to lose either. */
async function copySecretKey(file: string, staging: string): Promise<void> {
  if (!existsSync(file)) return;
  await fs.mkdir(path.join(staging, SECRET_KEY_DIR), { mode: 0o700 });
  await fs.copyFile(file, path.join(staging, SECRET_KEY_DIR, SECRET_KEY_FILE));
}
