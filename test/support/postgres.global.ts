import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { connectDatabase, createLogger, migrate, startEmbeddedPostgres } from '@branchwatch/hub';

/**
 * One real PostgreSQL for the whole run (the embedded one the hub uses), migrated once into a
 * template database; each test file clones the template (see database.ts), which takes
 * milliseconds and keeps files independent.
 */
export const TEMPLATE_DATABASE = 'bw_template';

declare module 'vitest' {
  export interface ProvidedContext {
    postgresUrl: string;
  }
}

export default async function setup(project: TestProject) {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'bw-test-pg-'));
  const server = await startEmbeddedPostgres(dir, createLogger('warn'));
  const admin = connectDatabase(server.url.replace(/\/[^/]+$/, '/postgres'));
  await admin.raw(`CREATE DATABASE ${TEMPLATE_DATABASE}`);
  await admin.destroy();
  const template = connectDatabase(server.url.replace(/\/[^/]+$/, `/${TEMPLATE_DATABASE}`));
  await migrate(template);
  await template.destroy();
  project.provide('postgresUrl', server.url);
  return async () => {
    await server.stop();
    await fs.rm(dir, { recursive: true, force: true });
  };
}
