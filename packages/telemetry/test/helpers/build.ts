import { rm } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { build, type Options } from 'tsup';
import configs from '../../tsup.config.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
export const buildDir = fileURLToPath(new URL('../../.test-build/', import.meta.url));

const fixture: Options = {
  entry: { service: 'test/fixtures/service.ts' },
  format: ['esm', 'cjs'],
  platform: 'node',
  target: 'node22',
  external: ['pg', 'pino'],
  shims: true,
};

/**
 * Builds the package with its real tsup config (entries, formats, shims) into
 * .test-build so child processes can run it with plain `node`, plus the
 * fixture service. Plinth packages are bundled from their sources so the test
 * does not depend on sibling builds; pg and pino stay external so the
 * preload's loader hooks patch them as in a real service.
 */
export async function buildForChildProcesses(): Promise<void> {
  await rm(buildDir, { recursive: true, force: true });
  for (const config of [...(configs as Options[]), fixture]) {
    const entry = Object.fromEntries(
      Object.entries(config.entry as Record<string, string>).map(([name, file]) => [
        name,
        `${root}${file}`,
      ]),
    );
    await build({
      ...config,
      entry,
      outDir: buildDir,
      dts: false,
      sourcemap: false,
      silent: true,
      config: false,
      clean: false,
      noExternal: [/^@plinth\//],
      esbuildOptions(options) {
        options.conditions = ['@plinth/source'];
      },
    });
  }
}
