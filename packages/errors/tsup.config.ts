import { definePackageConfig } from '../../scripts/tsup-preset.ts';

export default definePackageConfig({ index: 'src/index.ts', catalog: 'src/catalog.ts' });
