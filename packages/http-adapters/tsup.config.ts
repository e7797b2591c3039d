import { definePackageConfig } from '../../scripts/tsup-preset.ts';

export default definePackageConfig({
  index: 'src/index.ts',
  express: 'src/express/index.ts',
  fastify: 'src/fastify/index.ts',
  config: 'src/config.ts',
});
