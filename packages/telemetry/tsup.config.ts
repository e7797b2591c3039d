import { definePackageConfig } from '../../scripts/tsup-preset.ts';

// `register` has two sources: the ESM preload awaits the loader hook at top
// level (impossible in CJS), the CJS preload needs no loader hook at all.
// The builds run in parallel and tsup's `clean` empties the whole folder, so
// only the first one cleans (it does so before any build writes output).
export default [
  definePackageConfig({ index: 'src/index.ts', config: 'src/config.ts' }, { shims: true }),
  definePackageConfig({ register: 'src/register.ts' }, { format: ['esm'], clean: false }),
  definePackageConfig(
    { register: 'src/register-require.ts' },
    { format: ['cjs'], shims: true, clean: false },
  ),
];
