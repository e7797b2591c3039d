import { isSensitiveKey } from '@plinth/errors';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { scrubString } from '../src/sanitize-text.js';
import { mayHoldSecret } from '../src/text-triggers.js';

// Pieces of every shape the scanner knows, so random joins hit its edges.
const piece = fc.constantFrom(
  'password',
  'token',
  'email',
  '=',
  ':',
  ' ',
  '\t',
  '"',
  "'",
  '\\"',
  'Bearer ',
  'bAsIc ',
  'eyJ',
  '.',
  'AKIA',
  'sk_live_',
  'ghp_',
  '://',
  '@',
  '?',
  '&',
  '-----BEGIN PRIVATE KEY-----',
  '4111',
  '1111',
  '-',
  'DE89',
  '3704',
  'abcDEF123',
);
const text = fc.oneof(
  fc.array(piece, { maxLength: 12 }).map((a) => a.join('')),
  fc.string({ maxLength: 60 }),
);

describe('the string pre-check', () => {
  it('says "maybe" for every string the scanner would change (property)', () => {
    fc.assert(
      fc.property(text, (s) => {
        if (!mayHoldSecret(s)) expect(scrubString(s, isSensitiveKey)).toBe(s);
      }),
      { numRuns: 3000 },
    );
  });

  it('holds for any key matcher, even one that calls every key sensitive (property)', () => {
    // scrubText skips the scan on this pre-check whatever `keys` a caller passes.
    fc.assert(
      fc.property(text, (s) => {
        if (!mayHoldSecret(s)) expect(scrubString(s, () => true)).toBe(s);
      }),
      { numRuns: 3000 },
    );
  });
});
