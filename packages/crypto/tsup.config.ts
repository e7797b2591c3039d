import { definePackageConfig } from '../../scripts/tsup-preset.ts';

export default definePackageConfig({
  index: 'src/index.ts',
  kms: 'src/kms.ts',
  config: 'src/config.ts',
});
