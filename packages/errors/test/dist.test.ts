import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';

const esm = fileURLToPath(new URL('../dist/index.js', import.meta.url));
const cjs = fileURLToPath(new URL('../dist/index.cjs', import.meta.url));
const script = fileURLToPath(new URL('./fixtures/cross-build.mjs', import.meta.url));

describe('built output (dual-package hazard)', () => {
  it('recognises an AppError from the CJS build in the ESM build and vice versa', () => {
    for (const file of [esm, cjs]) {
      if (!existsSync(file)) {
        throw new Error(
          `${file} is missing: run \`npx tsup\` in packages/errors (turbo builds before test)`,
        );
      }
    }
    // A fresh Node process loads the real files, with no test-runner transform in between.
    const out = execFileSync(process.execPath, [script, pathToFileURL(esm).href, cjs], {
      encoding: 'utf8',
    });
    expect(JSON.parse(out)).toEqual({
      distinctClasses: true,
      esmInstanceofCjs: false,
      esmSeesCjs: true,
      cjsSeesEsm: true,
      esmPassesCjsThrough: true,
      esmProblemOfCjs: 404,
      esmSanitizesCjsSecret: 'NOT_FOUND',
    });
  });
});
