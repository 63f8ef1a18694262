import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import type { DatabaseDump } from './logical-dump.js';

const run = promisify(execFile);

/**
 * Backups are gzip-compressed tar archives made by the system's tar (present on every Linux
 * the hub runs on), so that an operator can open one with nothing but `tar -xzf`.
 */
export async function packArchive(sourceDir: string, file: string): Promise<void> {
  await run('tar', ['-czf', file, '-C', sourceDir, '.'], { maxBuffer: 1 << 20 });
}

export async function unpackArchive(file: string, targetDir: string): Promise<void> {
  // --no-same-owner: files belong to whoever restores, not to ids recorded in the archive.
  await run('tar', ['-xzf', file, '-C', targetDir, '--no-same-owner'], { maxBuffer: 1 << 20 });
}

/** What a backup holds; `manifest.json` at the archive's root. */
export interface BackupManifest {
  format: 'branchwatch-backup';
  version: 1;
  createdAt: string;
  hubVersion: string;
  database: DatabaseDump;
  attachments: { files: number; bytes: number };
  /** The config file saved with the backup (config/<name>), when one was given. */
  config: string | undefined;
}
