import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { connectDatabase } from './database.js';
import { createLogger } from '../core/logger.js';
import { startEmbeddedPostgres, type EmbeddedDatabase } from './embedded-postgres.js';

let dir: string | undefined;
let server: EmbeddedDatabase | undefined;
afterAll(async () => {
  await server?.stop();
  if (dir) await fs.rm(dir, { recursive: true, force: true });
});

it('makes a UTF-8 cluster where Persian is text, even when the environment names no locale', async () => {
  // A fresh container's environment: no LANG, no LC_*. initdb reads them when it makes the
  // cluster, so they are cleared around the start and put back after.
  const saved = Object.fromEntries(
    Object.keys(process.env)
      .filter((name) => name === 'LANG' || name === 'LANGUAGE' || name.startsWith('LC_'))
      .map((name) => [name, process.env[name]]),
  );
  for (const name of Object.keys(saved)) delete process.env[name];
  try {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'bw-locale-'));
    await fs.chmod(dir, 0o755); // PostgreSQL runs as user postgres when this runs as root
    server = await startEmbeddedPostgres(dir, createLogger('warn'));
  } finally {
    Object.assign(process.env, saved);
  }
  const db = connectDatabase(server.url);
  try {
    const encoding = await db.raw<{ rows: { server_encoding: string }[] }>('SHOW server_encoding');
    expect(encoding.rows[0]!.server_encoding).toBe('UTF8');
    const row = await db.raw<{ rows: { chars: number; lower: string; words: string }[] }>(
      `SELECT length('کتاب‌ها') AS chars, lower('ÉCOLE') AS lower,
              to_tsvector('simple', 'چاپگر طبقه دوم')::text AS words`,
    );
    expect(row.rows[0]).toEqual({
      chars: 7,
      lower: 'école',
      words: "'دوم':3 'طبقه':2 'چاپگر':1",
    });
  } finally {
    await db.destroy();
  }
});
