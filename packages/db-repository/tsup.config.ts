import { definePackageConfig } from '../../scripts/tsup-preset.ts';

export default definePackageConfig({
  index: 'src/index.ts',
  config: 'src/config.ts',
  testing: 'src/testing.ts',
  cli: 'src/cli.ts',
});
