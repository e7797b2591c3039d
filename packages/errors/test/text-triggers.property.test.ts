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
  '+',
  '%',
  '/',
  '#',
  '(',
  ',',
  'a',
);
// Short strings over the characters the scanner's patterns turn on (separators, URL and
// userinfo punctuation, quotes, escapes), so odd neighbours of `:` `=` `@` are tried often.
const punctuated = fc.string({
  unit: fc.constantFrom(...'aZ9_:=@/?&%+.-#"\' \t\\'.split('')),
  maxLength: 24,
});
const text = fc.oneof(
  fc.array(piece, { maxLength: 12 }).map((a) => a.join('')),
  punctuated,
  fc.string({ maxLength: 60 }),
);

// Strings an earlier pre-check missed (found by the properties below).
const missed = [
  'x a+:hunter2@host y', // userinfo without a scheme, user ending in `+`
  'x a%:hunter2@db y', // … or in `%`
  'see &://?password/=x', // a query parameter whose name ends in punctuation
  '&://=', // any name is sensitive to some matcher
];

describe('the string pre-check', () => {
  it.each(missed)('says "maybe" for %j', (s) => {
    expect(mayHoldSecret(s)).toBe(true);
    expect(scrubString(s, () => true)).not.toBe(s);
  });

  it('says "maybe" for every string the scanner would change (property)', () => {
    fc.assert(
      fc.property(text, (s) => {
        if (!mayHoldSecret(s)) expect(scrubString(s, isSensitiveKey)).toBe(s);
      }),
      { numRuns: 3000 },
    );
  });

  it("holds for every five-character string over the scanner's punctuation (exhaustive)", () => {
    // 16^5 ≈ 1M strings, well under a second: the shortest shapes the scanner acts on, every one.
    const alphabet = [...'aZ9:=@/?&%+.-"\\ '];
    const n = alphabet.length;
    const missed: string[] = [];
    for (let k = 0; k < n ** 5 && missed.length < 5; k++) {
      let s = '';
      for (let i = 0, x = k; i < 5; i++, x = Math.floor(x / n)) s += alphabet[x % n];
      if (!mayHoldSecret(s) && scrubString(s, () => true) !== s) missed.push(s);
    }
    expect(missed).toEqual([]);
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
