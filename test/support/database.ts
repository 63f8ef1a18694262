import { randomBytes } from 'node:crypto';
import { inject } from 'vitest';
import { connectDatabase } from '@branchwatch/hub';
import { TEMPLATE_DATABASE } from './postgres.global.js';

/** A fresh, migrated database for one test file; returns its URL. */
export async function createTestDatabase(): Promise<string> {
  const serverUrl = inject('postgresUrl');
  const name = `bw_test_${randomBytes(6).toString('hex')}`;
  const admin = connectDatabase(withDatabase(serverUrl, 'postgres'));
  try {
    await admin.raw(`CREATE DATABASE ${name} TEMPLATE ${TEMPLATE_DATABASE}`);
  } finally {
    await admin.destroy();
  }
  return withDatabase(serverUrl, name);
}

export function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}
