import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, expect, inject, it } from 'vitest';
import { createLogger, loadConfig, startHub, type RunningHub } from '../index.js';
import { connectDatabase, databaseEncodingWarning } from './database.js';
import { startEmbeddedPostgres } from './embedded-postgres.js';
import { backupHub } from '../ops/backup.js';
import { restoreHub } from '../ops/restore.js';
import { runningEmbeddedUrl } from '../ops/hub-database.js';
import { ApiClient } from '../../../test/support/http.js';
import { createTestDatabase, withDatabase } from '../../../test/support/database.js';

/**
 * A hub on a database an older hub made on a machine without a locale (SQL_ASCII) says so at
 * start, and what it says to do moves the data into UTF-8.
 */
const logger = createLogger('silent');
const PASSWORD = 'encoding-admin-password';
const NAME = 'ÉCOLE تبریز';
let work: string;
const hubs: RunningHub[] = [];
afterAll(async () => {
  for (const hub of hubs) await hub.stop();
  if (work) await fs.rm(work, { recursive: true, force: true });
});

function hubConfig(dataDir: string) {
  return loadConfig({
    BW_DATA_DIR: dataDir,
    BW_HTTP_HOST: '127.0.0.1',
    BW_HTTP_PORT: '0',
    BW_MQTT_HOST: '127.0.0.1',
    BW_MQTT_PORT: '0',
    BW_ADMIN_PASSWORD: PASSWORD,
  });
}

async function start(dataDir: string): Promise<RunningHub> {
  const hub = await startHub(hubConfig(dataDir), logger);
  hubs.push(hub);
  return hub;
}

async function stop(hub: RunningHub): Promise<void> {
  hubs.splice(hubs.indexOf(hub), 1);
  await hub.stop();
}

/** How PostgreSQL sees the branch's name: characters or bytes. */
async function nameAsStored(dataDir: string) {
  const db = connectDatabase(runningEmbeddedUrl(dataDir)!);
  try {
    const result = await db.raw<{ rows: { chars: number; lower: string }[] }>(
      'SELECT length(name) AS chars, lower(name) AS lower FROM branches WHERE slug = ?',
      ['tabriz'],
    );
    return result.rows[0];
  } finally {
    await db.destroy();
  }
}

it('warns at start on a SQL_ASCII data folder, and a backup restored into an empty one is UTF-8', async () => {
  work = await fs.mkdtemp(path.join(os.tmpdir(), 'bw-encoding-'));
  await fs.chmod(work, 0o755); // PostgreSQL runs as user postgres when this runs as root
  const oldDir = path.join(work, 'data');

  // The cluster an older hub made without a locale: its database SQL_ASCII.
  const cluster = await startEmbeddedPostgres(oldDir, logger);
  const admin = connectDatabase(withDatabase(cluster.url, 'postgres'));
  try {
    await admin.raw('DROP DATABASE branchwatch');
    await admin.raw(
      `CREATE DATABASE branchwatch ENCODING 'SQL_ASCII' LC_COLLATE 'C' LC_CTYPE 'C' TEMPLATE template0`,
    );
  } finally {
    await admin.destroy();
    await cluster.stop();
  }

  const old = await start(oldDir);
  expect(old.startWarnings).toHaveLength(1);
  const warning = old.startWarnings[0]!;
  expect(warning).toContain("the hub's database is SQL_ASCII, not UTF-8");
  expect(warning).toContain('pnpm hub:backup -- --out hub.tar.gz');
  expect(warning).toContain(`move ${oldDir} aside`);
  expect(warning).toContain('pnpm hub:restore -- --in hub.tar.gz');

  const api = new ApiClient(`http://127.0.0.1:${old.httpPort}`);
  await api.login('admin', PASSWORD);
  await api.post('/api/v1/branches', { slug: 'tabriz', name: NAME });
  // Bytes: É and each Persian letter are two, and lower() leaves them as they are.
  expect(await nameAsStored(oldDir)).toEqual({ chars: 17, lower: 'École تبریز' });

  // What the warning says: back up (while the hub runs), stop, restore into an empty folder.
  const archive = path.join(work, 'hub.tar.gz');
  await backupHub(
    hubConfig(oldDir),
    { out: archive, configFile: undefined, hubVersion: '0' },
    logger,
  );
  await stop(old);
  const newDir = path.join(work, 'data-utf8');
  await restoreHub(hubConfig(newDir), { in: archive, configOut: undefined }, logger);

  const restored = await start(newDir);
  expect(restored.startWarnings).toEqual([]);
  expect(await nameAsStored(newDir)).toEqual({ chars: 11, lower: 'école تبریز' });
  const again = new ApiClient(`http://127.0.0.1:${restored.httpPort}`);
  await again.login('admin', PASSWORD);
  const { items } = await again.get<{ items: { slug: string; name: string }[] }>(
    '/api/v1/branches',
  );
  expect(items.find((branch) => branch.slug === 'tabriz')?.name).toBe(NAME);
}, 240_000);

it('says what to do with a SQL_ASCII database of DATABASE_URL, and nothing about a UTF-8 one', async () => {
  const utf8 = connectDatabase(await createTestDatabase());
  const server = connectDatabase(withDatabase(inject('postgresUrl'), 'postgres'));
  const name = `bw_ascii_${process.pid}_${Date.now()}`;
  await server.raw(
    `CREATE DATABASE ${name} ENCODING 'SQL_ASCII' LC_COLLATE 'C' LC_CTYPE 'C' TEMPLATE template0`,
  );
  const ascii = connectDatabase(withDatabase(inject('postgresUrl'), name));
  try {
    expect(await databaseEncodingWarning(utf8, undefined)).toBeUndefined();
    const warning = await databaseEncodingWarning(ascii, undefined);
    expect(warning).toContain("the hub's database is SQL_ASCII, not UTF-8");
    expect(warning).toContain("ENCODING 'UTF8'");
    expect(warning).toContain('point DATABASE_URL at it');
  } finally {
    await ascii.destroy();
    await utf8.destroy();
    await server.raw(`DROP DATABASE ${name}`);
    await server.destroy();
  }
  // Two databases made and one dropped: at a loaded machine's pace, well over the default 30 s.
}, 120_000);
