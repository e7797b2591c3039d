import { createFieldCipher, createKeyring } from '@plinth/crypto';
import { isAppError } from '@plinth/errors';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { b64, K1 } from './helpers.js';

const cipher = createFieldCipher({ keyring: createKeyring(`k1:${b64(K1)}`) });
const ctx = { row: '1' };
const CODES = new Set(['CIPHERTEXT_MALFORMED', 'DECRYPT_FAILED', 'UNKNOWN_KEY']);

function onlyTypedErrors(value: string) {
  try {
    cipher.decrypt(value, ctx);
    return false; // decrypting garbage must never succeed
  } catch (err) {
    return isAppError(err) && CODES.has((err as { code: string }).code);
  }
}

describe('ciphertext parsing (property)', () => {
  it('throws only typed AppErrors for arbitrary strings', () => {
    fc.assert(fc.property(fc.string({ unit: 'binary', maxLength: 200 }), onlyTypedErrors), {
      numRuns: 2000,
    });
  });

  it('throws only typed AppErrors for strings shaped like ciphertexts', () => {
    const b64url = fc.string({ unit: fc.constantFrom(...'ABCabc0189-_'.split('')), maxLength: 60 });
    const shaped = fc
      .tuple(
        fc.constantFrom('pl1', 'pl0', 'PL1', ''),
        fc.constantFrom('k1', 'k2', '', 'k/1'),
        b64url,
        b64url,
      )
      .map((parts) => parts.join('.'));
    fc.assert(fc.property(shaped, onlyTypedErrors), { numRuns: 2000 });
  });

  it('rejects any mutation of a real ciphertext', () => {
    const real = cipher.encrypt('hello', ctx);
    fc.assert(
      fc.property(
        fc.nat({ max: real.length - 1 }),
        fc.string({ minLength: 1, maxLength: 3 }),
        (i, insert) => {
          const mutated = real.slice(0, i) + insert + real.slice(i + 1);
          fc.pre(mutated !== real);
          expect(onlyTypedErrors(mutated)).toBe(true);
        },
      ),
      { numRuns: 1000 },
    );
  });
});
