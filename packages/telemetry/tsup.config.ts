import { definePackageConfig } from '../../scripts/tsup-preset.ts';

// `register` has two sources: the ESM preload awaits the loader hook at top
// level (impossible in CJS), the CJS preload needs no loader hook at all.
// The three builds run in parallel, so each cleans only its own files.
export default [
  definePackageConfig({ index: 'src/index.ts' }, { shims: true, clean: ['index.*'] }),
  definePackageConfig(
    { register: 'src/register.ts' },
    { format: ['esm'], clean: ['register.js*', 'register.d.ts'] },
  ),
  definePackageConfig(
    { register: 'src/register-require.ts' },
    { format: ['cjs'], shims: true, clean: ['register.cjs*', 'register.d.cts'] },
  ),
];
