import { createSanitizer, isAppError, REDACTED, scrubText } from '@plinth/errors';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

const VISA = '4111 1111 1111 1111';
const IBAN = 'DE89 3704 0044 0532 0130 00';

describe('scrubText', () => {
  it('redacts credentials and sensitive pairs inside free text', () => {
    expect(scrubText('connect postgres://app:hunter2@db/app failed: password=hunter2')).toBe(
      `connect postgres://${REDACTED}@db/app failed: password=${REDACTED}`,
    );
  });

  it('redacts user:password@host without a scheme, and leaves plain e-mail-like text', () => {
    expect(scrubText('connect admin:hunter2@db.internal:5432 refused')).toBe(
      'connect [redacted]@db.internal:5432 refused',
    );
    expect(scrubText('dsn=svc:p%40ss@10.0.0.1/app')).not.toContain('p%40ss');
    expect(scrubText('at 12:00 the job ran')).toBe('at 12:00 the job ran');
    expect(scrubText('see docs/a:b for c@d', { personalData: false })).toBe('see docs/a:b for c@d');
  });

  it('scans a 1 MB string of repeated bare userinfo shapes to completion', () => {
    const big = 'a:b@'.repeat(2 ** 18);
    expect(scrubText(big, { maxLength: 2 ** 20 }).length).toBeLessThanOrEqual(2 ** 20);
  });

  it('redacts Luhn-valid card numbers and valid IBANs by default', () => {
    expect(scrubText(`card ${VISA}, iban ${IBAN}.`)).toBe(`card ${REDACTED}, iban ${REDACTED}.`);
    expect(scrubText('card 4111-1111-1111-1111')).toBe(`card ${REDACTED}`);
    expect(scrubText('iban GB82WEST12345698765432')).toBe(`iban ${REDACTED}`);
  });

  it('keeps long numbers that fail the checksum, such as order ids and timestamps', () => {
    const text = 'order 4111111111111112 at 1732900000000, ref DE00370400440532013000';
    expect(scrubText(text)).toBe(text);
  });

  it('keeps card numbers and IBANs with personalData: false', () => {
    expect(scrubText(`card ${VISA}`, { personalData: false })).toBe(`card ${VISA}`);
  });

  it('returns at most maxLength characters', () => {
    expect(scrubText('x'.repeat(500), { maxLength: 200 })).toHaveLength(200);
    expect(scrubText('short', { maxLength: 200 })).toBe('short');
  });

  it('still redacts a credential that straddles the maxLength cut', () => {
    const out = scrubText(`${'a '.repeat(95)}password=hunter2hunter2`, { maxLength: 200 });
    expect(out).not.toContain('hunter2');
  });

  it('redacts a JWT cut before its signature', () => {
    expect(scrubText('tok eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0')).toBe(`tok ${REDACTED}`);
  });

  it('uses extra sensitive keys', () => {
    expect(scrubText('nickname=ann', { keys: ['nickname'] })).toBe(`nickname=${REDACTED}`);
  });

  it('refuses a maxLength that is not a positive integer with INVALID_OPTIONS', () => {
    for (const maxLength of [-1, 0, 1.5, Number.NaN, -Infinity, '10' as unknown as number]) {
      let caught: unknown;
      try {
        scrubText('abc', { maxLength });
      } catch (err) {
        caught = err;
      }
      expect(isAppError(caught), String(maxLength)).toBe(true);
      expect((caught as { code: string }).code).toBe('INVALID_OPTIONS');
      expect((caught as Error).message).toBe(
        'scrubText: maxLength must be a positive integer or Infinity',
      );
    }
    expect(scrubText('abc', { maxLength: 1 })).toBe('a');
    expect(scrubText('abc', { maxLength: Infinity })).toBe('abc');
  });

  it('refuses a keys option that is not an array instead of reading a string per character', () => {
    expect(() => scrubText('s=1 ssn=2', { keys: 'ssn' as never })).toThrow(
      expect.objectContaining({
        code: 'INVALID_OPTIONS',
        message: expect.stringMatching(/^scrubText: keys must be an array/),
      }),
    );
  });

  it('refuses options that are not an object, and takes undefined as no options', () => {
    for (const options of [null, 200, [], () => ({})]) {
      expect(() => scrubText('abc', options as never)).toThrow(
        expect.objectContaining({
          code: 'INVALID_OPTIONS',
          message: 'scrubText: options must be an object',
          issues: [{ path: 'options', message: 'must be an object', code: 'invalid_option' }],
        }),
      );
    }
    expect(scrubText('abc', undefined)).toBe('abc');
    for (const options of ['keys', [], 7]) {
      expect(() => createSanitizer(options as never)).toThrow(
        expect.objectContaining({
          code: 'INVALID_OPTIONS',
          message: 'createSanitizer: options must be an object',
        }),
      );
    }
    expect(createSanitizer(null as never)({ password: 'x' })).toEqual({ password: REDACTED });
  });

  it('turns a non-string into text instead of throwing', () => {
    expect(scrubText(42 as unknown as string)).toBe('42');
  });

  it.each([
    ['colon runs', 'lag:'],
    ['a:a pairs', 'a:'],
    ['digit groups', '4 '],
    ['IBAN-like groups', 'DE89 '],
    ['equals runs', 'k=v='],
  ])('completes on 1 MB of repeated %s without maxLength', (_, unit) => {
    const big = unit.repeat(Math.ceil(2 ** 20 / unit.length));
    expect(typeof scrubText(big, { maxLength: Infinity })).toBe('string');
  });

  it('bounds the work on any input by cutting first (property)', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: 'binary', maxLength: 2000 }),
        fc.integer({ min: 1, max: 300 }),
        (s, max) => {
          const input = s.repeat(500);
          expect(scrubText(input, { maxLength: max }).length).toBeLessThanOrEqual(max);
        },
      ),
      { numRuns: 100 },
    );
  });
});
