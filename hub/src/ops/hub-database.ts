import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { HubConfig } from '../config/config.js';
import { connectDatabase, type Database } from '../db/database.js';
import { startEmbeddedPostgres } from '../db/embedded-postgres.js';
import type { Logger } from '../core/logger.js';
import { isProcessRunning } from '../core/process-running.js';

export interface HubDatabase {
  db: Database;
  close(): Promise<void>;
}

/**
 * The database of the hub that `config` describes, for the backup and restore commands:
 * DATABASE_URL when set; else the embedded cluster in BW_DATA_DIR, reached through the
 * server a running hub started (so that a backup needs no downtime) or started here.
 */
export async function openHubDatabase(config: HubConfig, logger: Logger): Promise<HubDatabase> {
  if (config.databaseUrl) {
    const db = connectDatabase(config.databaseUrl, { min: 0, max: 2 });
    return { db, close: () => db.destroy() };
  }
  const running = runningEmbeddedUrl(config.dataDir);
  if (running) {
    logger.info('using the embedded PostgreSQL of the running hub');
    const db = connectDatabase(running, { min: 0, max: 2 });
    return { db, close: () => db.destroy() };
  }
  const embedded = await startEmbeddedPostgres(config.dataDir, logger);
  const db = connectDatabase(embedded.url, { min: 0, max: 2 });
  return {
    db,
    close: async () => {
      await db.destroy();
      await embedded.stop();
    },
  };
}

/**
 * postmaster.pid: line 1 the pid, line 4 the port (PostgreSQL docs, "Database File Layout").
 * Credentials are the ones embedded-postgres.ts stored beside the cluster.
 */
export function runningEmbeddedUrl(dataDir: string): string | undefined {
  const pidFile = path.join(dataDir, 'postgres', 'postmaster.pid');
  const credentialsFile = path.join(dataDir, 'postgres-credentials.json');
  if (!existsSync(pidFile) || !existsSync(credentialsFile)) return undefined;
  const lines = readFileSync(pidFile, 'utf8').split('\n');
  const [pid, port] = [Number(lines[0]), Number(lines[3])];
  if (!isProcessRunning(pid)) return undefined;
  const { user, password } = JSON.parse(readFileSync(credentialsFile, 'utf8')) as {
    user: string;
    password: string;
  };
  const auth = `${encodeURIComponent(user)}:${encodeURIComponent(password)}`;
  return `postgres://${auth}@127.0.0.1:${port}/branchwatch`;
}
