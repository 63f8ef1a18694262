import type { TestProject } from 'vitest/node';
import { connectDatabase } from '@branchwatch/hub';

/**
 * The TimescaleDB server of `pnpm test:timescale` (docs/timescaledb.md): named by
 * BW_TEST_TIMESCALE_URL, a superuser URL; each test file makes and drops its own database on
 * it. Fails the run, never skips it, when the variable is missing or the server has no
 * TimescaleDB loaded.
 */

declare module 'vitest' {
  export interface ProvidedContext {
    timescaleUrl: string;
  }
}

/** The key the server's URL is provided under (test/support/timescale.ts injects it). */
export const TIMESCALE_URL = 'timescaleUrl';

const HOW = 'see docs/timescaledb.md "Running the TimescaleDB tests"';

export default async function setup(project: TestProject) {
  const url = process.env.BW_TEST_TIMESCALE_URL;
  if (!url) {
    throw new Error(
      `BW_TEST_TIMESCALE_URL is not set: it must name a PostgreSQL superuser on a server with ` +
        `TimescaleDB, e.g. postgres://postgres@127.0.0.1:5432/postgres (${HOW})`,
    );
  }
  const admin = connectDatabase(url, { min: 0, max: 1 });
  try {
    const offered = await admin.raw(
      `SELECT default_version FROM pg_available_extensions WHERE name = 'timescaledb'`,
    );
    const preload = await admin.raw('SHOW shared_preload_libraries');
    const libraries = String(preload.rows[0]?.shared_preload_libraries ?? '');
    if (offered.rowCount === 0 || !libraries.includes('timescaledb')) {
      throw new Error(
        `the server of BW_TEST_TIMESCALE_URL does not offer TimescaleDB (extension available: ` +
          `${offered.rowCount > 0}, shared_preload_libraries: '${libraries}') (${HOW})`,
      );
    }
  } finally {
    await admin.destroy();
  }
  project.provide(TIMESCALE_URL, url);
}
