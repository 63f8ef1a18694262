import { defineConfig } from 'vitest/config';

// One suite, one command (`pnpm test`). Projects only separate what needs different setup.
// Tests in process import the TypeScript sources; tests that start hub and agent processes run
// their build, made anew when stale by test/support/build.global.ts (docs/decisions.md).
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'contract',
          include: ['packages/*/src/**/*.test.ts'],
        },
      },
      {
        test: {
          name: 'agent',
          include: ['agent/src/**/*.test.ts'],
          globalSetup: ['test/support/peers.global.ts', 'test/support/build.global.ts'],
          testTimeout: 30_000,
        },
      },
      {
        test: {
          name: 'hub',
          include: ['hub/src/**/*.test.ts'],
          globalSetup: [
            'test/support/peers.global.ts',
            'test/support/build.global.ts',
            'test/support/postgres.global.ts',
          ],
          testTimeout: 30_000,
          hookTimeout: 60_000,
        },
      },
      {
        test: {
          name: 'web',
          include: ['web/src/**/*.test.ts'],
        },
      },
      {
        test: {
          name: 'e2e',
          include: ['test/**/*.test.ts'],
          exclude: ['test/accuracy.test.ts', '**/node_modules/**'],
          globalSetup: [
            'test/support/peers.global.ts',
            'test/support/build.global.ts',
            'test/support/postgres.global.ts',
            'test/support/screenshots.global.ts',
          ],
          // These start hubs, agents and browsers: one file at a time on a 2-core machine.
          fileParallelism: false,
          testTimeout: 180_000,
          hookTimeout: 180_000,
          // What a page shows after a click comes from a hub on the same busy cores: wait for
          // it as a person would (vitest's default of 1 s failed under load, never in error).
          expect: { poll: { timeout: 15_000 } },
        },
      },
      {
        test: {
          name: 'accuracy',
          include: ['test/accuracy.test.ts'],
          globalSetup: ['test/support/peers.global.ts'],
          // Timing through the impairment relay needs a quiet machine: this project runs as a
          // group of its own (vitest runs groups one after another), so no other test file of the
          // suite runs beside it; where the group falls in the run is vitest's to choose.
          sequence: { groupOrder: 1 },
          fileParallelism: false,
          testTimeout: 180_000,
          hookTimeout: 180_000,
        },
      },
    ],
  },
});
