import { rm } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { build, type Options } from 'tsup';
import configs from '../../tsup.config.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
export const buildDir = fileURLToPath(new URL('../../.test-build/', import.meta.url));

/**
 * Builds the package with its real tsup config (entries, formats, shims) into
 * .test-build so child processes can run it with plain `node`. @plinth/errors
 * is bundled from its source so the test does not depend on sibling builds.
 */
export async function buildForChildProcesses(): Promise<void> {
  await rm(buildDir, { recursive: true, force: true });
  for (const config of configs as Options[]) {
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
      noExternal: ['@plinth/errors'],
      esbuildOptions(options) {
        options.conditions = ['@plinth/source'];
      },
    });
  }
}
