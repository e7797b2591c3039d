import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import * as root from '@plinth/crypto';
import * as config from '@plinth/crypto/config';
import * as kms from '@plinth/crypto/kms';
import { describe, expect, it } from 'vitest';

const src = new URL('../src/', import.meta.url).pathname;
const files = (dir: string): string[] =>
  readdirSync(join(src, dir), { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? files(join(dir, e.name)) : [join(dir, e.name)],
  );

describe('package boundaries', () => {
  it('keeps the root entry free of the AWS SDK, zod, @plinth/config and other runtime imports', () => {
    // Every module the root reaches through relative imports, not just files by name.
    const seen = new Set<string>();
    const visit = (file: string) => {
      if (seen.has(file)) return;
      seen.add(file);
      const text = readFileSync(join(src, file), 'utf8');
      // Statements at the start of a line only: TSDoc examples import the package itself.
      for (const m of text.matchAll(
        /^(?:import|export)\b[^;]*?from '([^']+)'|import\('([^']+)'\)/gm,
      )) {
        const spec = (m[1] ?? m[2])!;
        if (spec.startsWith('.')) visit(join(dirname(file), spec.replace(/\.js$/, '.ts')));
        else
          expect(
            spec.startsWith('node:') || spec === '@plinth/errors' || spec === '@plinth/internal',
            `${file}: ${spec}`,
          ).toBe(true);
      }
    };
    visit('index.ts');
    expect(seen.size).toBeGreaterThan(8);
    expect([...seen].some((f) => f.startsWith('kms') || f === 'config.ts')).toBe(false);
  });

  it('loads the AWS SDK in the kms subpath only through a lazy import', () => {
    for (const file of files('kms')) {
      const text = readFileSync(join(src, file), 'utf8');
      expect(text, file).not.toMatch(/^import [^\n]*from '@aws-sdk/m);
    }
  });

  it('exports the documented names from each entry point', () => {
    expect(Object.keys(root).sort()).toEqual([
      'CRYPTO_ERROR_CODES',
      'KEY_ID_PATTERN',
      'PASSWORD_DEFAULTS',
      'canonicalContext',
      'createBlindIndex',
      'createFieldCipher',
      'createKeyring',
      'hashPassword',
      'needsRehash',
      'randomToken',
      'timingSafeEqual',
      'verifyPassword',
    ]);
    expect(Object.keys(kms).sort()).toEqual([
      'createAwsKmsKeyProvider',
      'createEnvelopeCipher',
      'createLocalKeyProvider',
    ]);
    expect(Object.keys(config)).toEqual(['cryptoFragment']);
  });
});
