import { defineConfig } from 'vitest/config';

/**
 * `pnpm test:timescale`: the time-series tests of the TimescaleDB path, against the server
 * named by BW_TEST_TIMESCALE_URL (docs/timescaledb.md). Not part of `pnpm test`, whose servers
 * have no TimescaleDB; the plain path's side of the comparison uses the usual embedded server.
 */
export default defineConfig({
  test: {
    name: 'timescale',
    include: ['hub/src/timeseries/timescale-tests/*.timescale.ts'],
    globalSetup: ['test/support/timescale.global.ts', 'test/support/postgres.global.ts'],
    fileParallelism: false,
    testTimeout: 300_000,
    hookTimeout: 180_000,
  },
});
