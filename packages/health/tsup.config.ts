import { definePackageConfig } from '../../scripts/tsup-preset.ts';

export default definePackageConfig({ index: 'src/index.ts', s3: 'src/s3.ts', kms: 'src/kms.ts' });
