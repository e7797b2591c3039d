import { defineConfig } from 'vitest/config';

const long = process.env.RELIABILITY_MODE === 'long';

/**
 * One scenario file at a time: each one loads the machine on purpose, and two
 * at once would measure each other. Timeouts are generous but finite; every
 * loop inside a scenario has its own count and time bounds.
 */
export default defineConfig({
  resolve: { conditions: ['@plinth/source', 'module', 'node', 'import', 'default'] },
  ssr: {
    resolve: {
      conditions: ['@plinth/source', 'node', 'default'],
      externalConditions: ['@plinth/source'],
    },
  },
  test: {
    include: ['scenarios/**/*.test.ts'],
    globalSetup: ['support/global-setup.ts'],
    fileParallelism: false,
    sequence: { concurrent: false },
    testTimeout: long ? 600_000 : 120_000,
    hookTimeout: long ? 300_000 : 120_000,
    teardownTimeout: 30_000,
    reporters: ['default', ['json', { outputFile: '.test-results/vitest.json' }]],
    // The root `pnpm test` passes --coverage to every package: the suite drives child
    // processes, so only the harness itself is measured, with no gate.
    coverage: {
      provider: 'v8',
      include: ['support/**'],
      reporter: ['text-summary', 'json-summary'],
      reportsDirectory: '.test-results/coverage',
      reportOnFailure: true,
    },
  },
});
