import {
  CIRCULAR,
  createSanitizer,
  createSensitiveKeyMatcher,
  InternalError,
  NotFoundError,
  REDACTED,
  sanitize,
  TRUNCATED,
} from '@plinth/errors';
import { describe, expect, it } from 'vitest';

describe('sanitize', () => {
  it.each([
    'password',
    'Authorization',
    'x-api-key',
    'client_secret',
    'refreshToken',
    'Cookie',
    'set-cookie',
    'private_key',
    'SSN',
    'cardNumber',
    'sessionId',
  ])('redacts the value under %s', (key) => {
    expect(sanitize({ [key]: 'v', safe: 'ok' })).toEqual({ [key]: REDACTED, safe: 'ok' });
  });

  it('redacts at any depth, in arrays, and whole sub-objects under a sensitive key', () => {
    const input = { a: [{ b: { token: 't' } }], credentials: { user: 'u', pass: 'p' } };
    expect(sanitize(input)).toEqual({ a: [{ b: { token: REDACTED } }], credentials: REDACTED });
  });

  it('does not redact harmless keys that contain short sensitive words', () => {
    expect(sanitize({ className: 'x', spin: 1, authorName: 'ann' })).toEqual({
      className: 'x',
      spin: 1,
      authorName: 'ann',
    });
  });

  it('refuses a keys option that is not an array instead of reading a string per character', () => {
    for (const keys of ['ssn', new Set(['ssn']), { ssn: true }]) {
      expect(() => sanitize({ s: 1, n: 2, ok: 3 }, { keys: keys as never })).toThrow(
        expect.objectContaining({
          code: 'INVALID_OPTIONS',
          message: expect.stringMatching(/^createSanitizer: keys must be an array/),
        }),
      );
    }
    expect(() => createSensitiveKeyMatcher({ keys: 'ssn' as never })).toThrow(
      /^createSensitiveKeyMatcher: keys must be an array/,
    );
    expect(sanitize({ s: 1, n: 2, ssn: 3 }, { keys: ['ssn'] })).toEqual({
      s: 1,
      n: 2,
      ssn: REDACTED,
    });
  });

  it('refuses keys entries that are neither a non-empty string nor a RegExp, naming each', () => {
    let caught: unknown;
    try {
      sanitize({}, { keys: ['ok', '', 42 as never, /x/] });
    } catch (err) {
      caught = err;
    }
    expect((caught as { code: string }).code).toBe('INVALID_OPTIONS');
    expect((caught as { issues: { path: string }[] }).issues.map((i) => i.path)).toEqual([
      'keys.1',
      'keys.2',
    ]);
  });

  it('never mutates its input', () => {
    const input = { password: 'p', nested: { token: 't' }, list: [1, 2] };
    const copy = structuredClone(input);
    const out = sanitize(input);
    expect(input).toEqual(copy);
    expect(out).not.toBe(input);
  });

  it('replaces cycles with [Circular] but copies shared references twice', () => {
    const shared = { v: 1 };
    const node: Record<string, unknown> = { shared, again: shared };
    node.self = node;
    expect(sanitize(node)).toEqual({ shared: { v: 1 }, again: { v: 1 }, self: CIRCULAR });
  });

  it('truncates containers nested deeper than maxDepth', () => {
    expect(sanitize({ a: { b: { c: 1 } } }, { maxDepth: 2 })).toEqual({ a: { b: TRUNCATED } });
    let deep: unknown = 'leaf';
    for (let i = 0; i < 50; i++) deep = { d: deep };
    expect(JSON.stringify(sanitize(deep))).toContain(TRUNCATED);
  });

  it('bounds arrays and strings when asked', () => {
    expect(sanitize([1, 2, 3, 4], { maxArrayLength: 2 })).toEqual([1, 2, '[… 2 more items]']);
    expect(sanitize('abcdef', { maxStringLength: 3 })).toBe('abc…[+3 chars]');
  });

  it('turns Dates into ISO strings and binary data into a byte count', () => {
    expect(sanitize({ at: new Date(0), bad: new Date(Number.NaN) })).toEqual({
      at: '1970-01-01T00:00:00.000Z',
      bad: 'Invalid Date',
    });
    expect(sanitize(Buffer.from('secret bytes'))).toBe('[Buffer 12 bytes]');
    expect(sanitize(new Uint8Array(4))).toBe('[Uint8Array 4 bytes]');
    expect(sanitize(new ArrayBuffer(8))).toBe('[ArrayBuffer 8 bytes]');
  });

  it('turns Maps into objects (redacting sensitive keys) and Sets into arrays', () => {
    expect(
      sanitize(
        new Map<string, unknown>([
          ['apiKey', 'k'],
          ['n', 1],
        ]),
      ),
    ).toEqual({ apiKey: REDACTED, n: 1 });
    expect(sanitize(new Map([[{ id: 1 }, 'v']]))).toEqual([[{ id: 1 }, 'v']]);
    expect(sanitize(new Set(['a', 'b']))).toEqual(['a', 'b']);
  });

  it('turns Errors into plain objects without stack unless includeStack', () => {
    const err = Object.assign(new Error('failed', { cause: { token: 't' } }), { code: 'E_X' });
    expect(sanitize(err)).toEqual({
      type: 'Error',
      message: 'failed',
      code: 'E_X',
      cause: { token: REDACTED },
    });
    expect(sanitize(err, { includeStack: true })).toHaveProperty('stack');
  });

  it('sanitizes an AppError with its context and fingerprint', () => {
    const err = new NotFoundError('gone', { context: { secret: 's', id: 1 } });
    expect(sanitize(err)).toMatchObject({
      type: 'NotFoundError',
      code: 'NOT_FOUND',
      context: { secret: REDACTED, id: 1 },
      fingerprint: err.fingerprint,
    });
  });

  it('removes credentials from URL objects and URL strings', () => {
    expect(sanitize(new URL('https://user:pw@example.com/p?access_token=abc&q=1'))).toBe(
      'https://[redacted]@example.com/p?access_token=[redacted]&q=1',
    );
    expect(sanitize({ databaseUrl: 'postgres://app:p@ss@db:5432/app?sslmode=require' })).toEqual({
      databaseUrl: 'postgres://[redacted]@db:5432/app?sslmode=require',
    });
    expect(sanitize('GET https://api.x.io/v1?api_key=k1&x=2 failed')).toBe(
      'GET https://api.x.io/v1?api_key=[redacted]&x=2 failed',
    );
  });

  it('redacts whole-string JWTs and Authorization values under harmless keys', () => {
    const jwt = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJl';
    expect(
      sanitize({ header: `Bearer ${jwt}`, value: jwt, note: 'Bearer of bad news here' }),
    ).toEqual({
      header: REDACTED,
      value: REDACTED,
      note: 'Bearer of bad news here',
    });
    expect(sanitize({ value: jwt }, { scanStrings: false })).toEqual({ value: jwt });
    expect(sanitize('Basic dXNlcjpwYXNz')).toBe(REDACTED);
    expect(sanitize('Token expired')).toBe('Token expired');
    expect(sanitize('bearer everything')).toBe('bearer everything');
  });

  it('redacts Secret values from @plinth/config by their brand', () => {
    const secret = { [Symbol.for('plinth.secret.v1')]: true, reveal: () => 'hunter2' };
    expect(sanitize({ db: secret })).toEqual({ db: REDACTED });
  });

  it('describes functions, symbols and bigints so the output stays JSON', () => {
    expect(sanitize({ f: function named() {}, s: Symbol('x'), n: 10n })).toEqual({
      f: '[Function named]',
      s: 'Symbol(x)',
      n: '10',
    });
  });

  it('uses toJSON of class instances and survives one that throws', () => {
    class Money {
      toJSON() {
        return { amount: '1.00', token: 't' };
      }
    }
    class Broken {
      toJSON() {
        throw new Error('x');
      }
    }
    expect(sanitize({ m: new Money(), b: new Broken() })).toEqual({
      m: { amount: '1.00', token: REDACTED },
      b: '[Unserializable]',
    });
  });

  it('keeps a __proto__ key as data without changing the prototype', () => {
    const input = JSON.parse('{"__proto__": {"polluted": true}, "a": 1}');
    const out = sanitize(input) as Record<string, unknown>;
    expect(Object.getPrototypeOf(out)).toBe(Object.prototype);
    expect(Object.keys(out)).toEqual(['__proto__', 'a']);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('never throws on hostile objects', () => {
    const trap = new Proxy(
      {},
      {
        ownKeys: () => {
          throw new Error('trap');
        },
      },
    );
    const getter = Object.defineProperty({}, 'x', {
      enumerable: true,
      get: () => {
        throw new Error('no');
      },
    });
    expect(sanitize({ trap, getter })).toEqual({
      trap: '[Unserializable]',
      getter: { x: '[Unreadable]' },
    });
  });

  it('adds extra keys and patterns, or replaces the defaults', () => {
    expect(sanitize({ dateOfBirth: 'd', password: 'p' }, { keys: ['dateOfBirth'] })).toEqual({
      dateOfBirth: REDACTED,
      password: REDACTED,
    });
    expect(
      sanitize({ iban_x: 1, password: 'p' }, { keys: [/^iban/], replaceDefaults: true }),
    ).toEqual({
      iban_x: REDACTED,
      password: 'p',
    });
  });

  it('rejects invalid limits with an InternalError', () => {
    expect(() => createSanitizer({ maxDepth: -1 })).toThrow(InternalError);
    expect(() => sanitize({}, { maxArrayLength: 1.5 })).toThrow(/maxArrayLength/);
  });
});
