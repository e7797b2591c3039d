import { fileURLToPath } from 'node:url';
import { build } from 'tsup';

const root = fileURLToPath(new URL('../..', import.meta.url));
export const buildDir = fileURLToPath(new URL('../../.test-build/', import.meta.url));

/**
 * Builds the package (ESM + CJS, both preloads) into .test-build so child
 * processes can run it with plain `node`. @plinth/errors is bundled from its
 * source so the test does not depend on sibling packages being built.
 */
export async function buildForChildProcesses(): Promise<void> {
  const common = {
    outDir: buildDir,
    dts: false,
    silent: true,
    config: false,
    platform: 'node' as const,
    target: 'node20',
    splitting: false,
    sourcemap: false,
    noExternal: ['@plinth/errors'],
    esbuildOptions(options: { conditions?: string[] }) {
      options.conditions = ['@plinth/source'];
    },
  };
  await build({
    ...common,
    entry: { index: `${root}src/index.ts`, register: `${root}src/register.ts` },
    format: ['esm'],
    clean: true,
  });
  await build({
    ...common,
    entry: { index: `${root}src/index.ts`, register: `${root}src/register-require.ts` },
    format: ['cjs'],
    shims: true,
    clean: false,
  });
}
