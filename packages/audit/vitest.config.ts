import { definePackageTestConfig } from '../../scripts/vitest-preset.ts';

const config = definePackageTestConfig();
// Vitest forwards ssr.resolve.conditions to workers as `--conditions`; with
// `import` among them, CommonJS `require('pg-pool')` inside pg resolves to the
// ESM build and pg fails to load. Keep the source condition, drop `import`.
if (config.ssr?.resolve) {
  config.ssr.resolve.conditions = ['@plinth/source', 'node', 'default'];
}

export default config;
