import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const fixture = fileURLToPath(new URL('./fixtures/exact-optional.ts', import.meta.url));

/** Type errors in the fixture when compiled as a strict consumer project would. */
function diagnostics(exactOptionalPropertyTypes: boolean): string[] {
  const program = ts.createProgram([fixture], {
    strict: true,
    exactOptionalPropertyTypes,
    noEmit: true,
    skipLibCheck: true,
    target: ts.ScriptTarget.ES2022,
    lib: ['lib.es2023.d.ts'],
    types: ['node'],
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    customConditions: ['@plinth/source'],
    allowImportingTsExtensions: true,
  });
  return ts
    .getPreEmitDiagnostics(program, program.getSourceFile(fixture))
    .map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
}

describe('types under exactOptionalPropertyTypes', () => {
  it('accept an explicit undefined in a patch or init, which clears or defaults the field', () => {
    expect(diagnostics(true)).toEqual([]);
  });

  it('compile the same code without the flag', () => {
    expect(diagnostics(false)).toEqual([]);
  });
});
