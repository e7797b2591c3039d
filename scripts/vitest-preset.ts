import { defineConfig, type ViteUserConfig } from 'vitest/config';

/**
 * Shared test settings. The `@plinth/source` export condition makes
 * `import '@plinth/errors'` resolve to the package's `src/` so tests in one
 * package see edits in another without a rebuild; the smoke test exercises the
 * built `dist/` through the same exports map.
 */
export function definePackageTestConfig(extra: ViteUserConfig['test'] = {}) {
  return defineConfig({
    resolve: { conditions: ['@plinth/source', 'module', 'node', 'import', 'default'] },
    // Vitest forwards ssr.resolve.conditions to its workers as `--conditions`;
    // `import` there would make CommonJS `require()` calls inside dependencies
    // (pg → pg-pool) pick ESM builds. Vite adds import/require itself.
    ssr: {
      resolve: {
        conditions: ['@plinth/source', 'node', 'default'],
        externalConditions: ['@plinth/source'],
      },
    },
    test: {
      include: ['test/**/*.test.ts'],
      testTimeout: 20_000,
      // The JSON report feeds scripts/test-summary.mjs (one closing line for the whole repo).
      reporters: ['default', ['json', { outputFile: '.test-results/vitest.json' }]],
      hookTimeout: 60_000,
      // Per-package gate (DESIGN §4). Runs only with --coverage (the root `test`
      // script passes it); json-summary feeds the per-package table in
      // scripts/test-summary.mjs.
      coverage: {
        provider: 'v8',
        include: ['src/**'],
        reporter: ['text-summary', 'json-summary'],
        reportsDirectory: '.test-results/coverage',
        thresholds: { lines: 90, branches: 80 },
      },
      ...extra,
    },
  });
}
