import { randomBytes } from 'node:crypto';
import { inject } from 'vitest';
import { connectDatabase } from '@branchwatch/hub';
import { withDatabase } from './database.js';
import { TIMESCALE_URL } from './timescale.global.js';

/** A new, empty database on the TimescaleDB test server; the hub migrates it as it starts. */
export async function createTimescaleDatabase(): Promise<{ url: string; drop(): Promise<void> }> {
  const serverUrl = inject(TIMESCALE_URL);
  const name = `bw_tsdb_${randomBytes(6).toString('hex')}`;
  const admin = () => connectDatabase(withDatabase(serverUrl, 'postgres'), { min: 0, max: 1 });
  const create = admin();
  try {
    await create.raw(`CREATE DATABASE ${name}`);
  } finally {
    await create.destroy();
  }
  return {
    url: withDatabase(serverUrl, name),
    async drop() {
      const db = admin();
      try {
        // FORCE: TimescaleDB's background workers may still be connected to it.
        await db.raw(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await db.destroy();
      }
    },
  };
}
