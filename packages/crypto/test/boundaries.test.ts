import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as root from '@plinth/crypto';
import * as kms from '@plinth/crypto/kms';
import { describe, expect, it } from 'vitest';

const src = new URL('../src/', import.meta.url).pathname;
const files = (dir: string): string[] =>
  readdirSync(join(src, dir), { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? files(join(dir, e.name)) : [join(dir, e.name)],
  );

describe('package boundaries', () => {
  it('keeps the root entry free of the AWS SDK and of non-@plinth runtime imports', () => {
    for (const file of files('.').filter((f) => !f.startsWith('kms'))) {
      const text = readFileSync(join(src, file), 'utf8');
      const specifiers = [...text.matchAll(/from '([^']+)'|import\('([^']+)'\)/g)].map(
        (m) => m[1] ?? m[2],
      );
      for (const spec of specifiers) {
        expect(
          spec!.startsWith('node:') || spec!.startsWith('.') || spec!.startsWith('@plinth/'),
          `${file}: ${spec}`,
        ).toBe(true);
      }
    }
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
  });
});
