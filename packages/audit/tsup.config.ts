import { definePackageConfig } from '../../scripts/tsup-preset.ts';

// `shims` gives the CJS build a working `import.meta.url`, used to find the shipped migrations.
export default definePackageConfig({ index: 'src/index.ts', s3: 'src/s3.ts' }, { shims: true });
