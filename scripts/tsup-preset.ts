import { defineConfig, type Options } from 'tsup';

/**
 * Shared build settings for every @plinth package: dual ESM + CJS with
 * `.d.ts`/`.d.cts`, Node 22 target, source maps. `entry` maps output names to
 * source files, e.g. `{ index: 'src/index.ts', kms: 'src/kms.ts' }`.
 */
export function definePackageConfig(entry: Record<string, string>, extra: Options = {}) {
  return defineConfig({
    entry,
    format: ['esm', 'cjs'],
    // @plinth/internal is private: its code and types are bundled into each package.
    noExternal: ['@plinth/internal'],
    dts: { resolve: ['@plinth/internal'] },
    sourcemap: true,
    clean: true,
    target: 'node22',
    // Keep `node:` specifiers as written (tsup strips them by default for old Node lines).
    removeNodeProtocol: false,
    platform: 'node',
    splitting: false,
    treeshake: true,
    ...extra,
  });
}
