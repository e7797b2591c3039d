import { defineConfig } from 'vitest/config';

/**
 * The contract suite drives the BUILT example services as child processes, so
 * there is no source here to instrument: coverage is off whatever the command
 * line says. One global setup starts PostgreSQL databases, fauxqs and both
 * services once; the files share them and run one after another so the load
 * test and the lockout cases never compete with each other for the 2 cores.
 */
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/support/global-setup.ts'],
    fileParallelism: false,
    testTimeout: 120_000,
    hookTimeout: 120_000,
    teardownTimeout: 60_000,
    reporters: ['default', ['json', { outputFile: '.test-results/vitest.json' }]],
    coverage: {
      enabled: false,
      include: [],
      reporter: ['json-summary'],
      reportsDirectory: '.test-results/coverage',
    },
  },
});
