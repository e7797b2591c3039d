import {
  CORRELATION_ID_HEADER,
  correlationIdFromHeaders,
  isValidCorrelationId,
  REQUEST_ID_HEADER,
  resolveCorrelationId,
} from '@plinth/context';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

const SAFE = /^[A-Za-z0-9._:-]{1,128}$/;
const safeChar = fc.constantFrom(
  ...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._:-'.split(''),
);

describe('resolveCorrelationId', () => {
  it('names the headers', () => {
    expect(CORRELATION_ID_HEADER).toBe('x-correlation-id');
    expect(REQUEST_ID_HEADER).toBe('x-request-id');
  });

  it('accepts every id made of allowed characters up to 128 long', () => {
    fc.assert(
      fc.property(fc.array(safeChar, { minLength: 1, maxLength: 128 }), (chars) => {
        const id = chars.join('');
        expect(resolveCorrelationId(id)).toEqual({ id, source: 'client' });
      }),
    );
  });

  it('never lets a value outside the allowed alphabet or length through', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string({ unit: 'binary', maxLength: 300 }),
          fc.string({ unit: 'grapheme', maxLength: 40 }),
          fc
            .tuple(
              fc.string(),
              fc.constantFrom('\r', '\n', '\r\n', ' ', '\u2028', 'é', '"'),
              fc.string(),
            )
            .map(([a, b, c]) => a + b + c),
          fc.array(safeChar, { minLength: 129, maxLength: 400 }).map((c) => c.join('')),
        ),
        (value) => {
          const out = resolveCorrelationId(value);
          expect(out.id).toMatch(SAFE);
          if (!SAFE.test(value)) {
            expect(out.source).toBe('generated');
            expect(out.id).not.toBe(value);
          }
        },
      ),
    );
  });

  it.each([
    ['empty', ''],
    ['CRLF injection', 'abc\r\nSet-Cookie: a=b'],
    ['lone LF', 'abc\n'],
    ['129 chars', 'a'.repeat(129)],
    ['non-ASCII', 'café'],
    ['space', 'a b'],
  ])('generates a fresh id for a %s value', (_label, value) => {
    const out = resolveCorrelationId(value);
    expect(out.source).toBe('generated');
    expect(out.id).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('generates a fresh id for missing values and multi-valued headers', () => {
    expect(resolveCorrelationId(undefined).source).toBe('generated');
    expect(resolveCorrelationId(null).source).toBe('generated');
    expect(resolveCorrelationId(['a', 'b']).source).toBe('generated');
    expect(resolveCorrelationId([]).source).toBe('generated');
    expect(resolveCorrelationId(['only-one'])).toEqual({ id: 'only-one', source: 'client' });
  });

  it('generates a different id each time', () => {
    expect(resolveCorrelationId('').id).not.toBe(resolveCorrelationId('').id);
  });

  it('validates ids with isValidCorrelationId', () => {
    expect(isValidCorrelationId('a:b.c-d_e')).toBe(true);
    expect(isValidCorrelationId(42)).toBe(false);
  });
});

describe('correlationIdFromHeaders', () => {
  it('prefers x-correlation-id over x-request-id', () => {
    expect(correlationIdFromHeaders({ 'x-correlation-id': 'c1', 'x-request-id': 'r1' }).id).toBe(
      'c1',
    );
  });

  it('falls back to x-request-id, also when x-correlation-id is hostile', () => {
    expect(correlationIdFromHeaders({ 'x-request-id': 'r1' })).toEqual({
      id: 'r1',
      source: 'client',
    });
    expect(correlationIdFromHeaders({ 'x-correlation-id': 'a\nb', 'x-request-id': 'r1' }).id).toBe(
      'r1',
    );
  });

  it('matches header names case-insensitively', () => {
    expect(correlationIdFromHeaders({ 'X-Correlation-ID': 'c9' }).id).toBe('c9');
  });

  it('reads a fetch Headers object and rejects a repeated header it joined', () => {
    expect(correlationIdFromHeaders(new Headers({ 'X-Correlation-Id': 'fetch-1' })).id).toBe(
      'fetch-1',
    );
    const repeated = new Headers();
    repeated.append('x-correlation-id', 'a');
    repeated.append('x-correlation-id', 'b');
    expect(correlationIdFromHeaders(repeated).source).toBe('generated');
  });

  it('generates an id when neither header is usable', () => {
    expect(correlationIdFromHeaders({}).source).toBe('generated');
    expect(correlationIdFromHeaders(undefined).source).toBe('generated');
    expect(correlationIdFromHeaders({ 'x-request-id': ['a', 'b'] }).source).toBe('generated');
  });

  it('generates an id instead of throwing for headers that cannot be read', () => {
    const getter = {
      get 'x-correlation-id'(): string {
        throw new Error('getter');
      },
    };
    const proxy = new Proxy(
      {},
      {
        get() {
          throw new Error('trap');
        },
      },
    );
    const fetchLike = {
      get(): string {
        throw new Error('get');
      },
    };
    for (const headers of [getter, proxy, fetchLike]) {
      expect(correlationIdFromHeaders(headers as never).source).toBe('generated');
    }
  });
});
