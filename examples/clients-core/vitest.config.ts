import { definePackageTestConfig } from '../../scripts/vitest-preset.ts';

// Examples are counted but not gated on coverage (scripts/test-summary.mjs): much of
// this package runs only inside the built services the contract suite drives.
export default definePackageTestConfig({
  coverage: {
    provider: 'v8',
    include: ['src/**'],
    reporter: ['text-summary', 'json-summary'],
    reportsDirectory: '.test-results/coverage',
  },
});
