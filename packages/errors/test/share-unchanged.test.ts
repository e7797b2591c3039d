import { CIRCULAR, createSanitizer, REDACTED, SECRET_BRAND } from '@plinth/errors';
import { describe, expect, it } from 'vitest';

const share = createSanitizer({ shareUnchanged: true, includeStack: true });

describe('createSanitizer({ shareUnchanged: true })', () => {
  it('returns the input itself when nothing needs redacting', () => {
    const value = { a: 1, list: [{ b: 'x' }], at: new Date(0) };
    expect(share(value)).toBe(value);
  });

  it('copies only the path to a change and keeps key order', () => {
    const untouched = { keep: true };
    const value = { first: 1, untouched, nested: { user: 'ann', token: 't' }, last: 2 };
    const out = share(value) as Record<string, unknown>;
    expect(out).not.toBe(value);
    expect(out.untouched).toBe(untouched);
    expect(Object.keys(out)).toEqual(['first', 'untouched', 'nested', 'last']);
    expect(out.nested).toEqual({ user: 'ann', token: REDACTED });
    expect(value.nested.token).toBe('t');
  });

  it('copies an array from the first changed item on', () => {
    const arr = ['a', 'password=hunter2', 'c'];
    expect(share(arr)).toEqual(['a', `password=${REDACTED}`, 'c']);
    expect(arr[1]).toBe('password=hunter2');
  });

  it('caps a wide object whose first change comes after other keys', () => {
    const wide: Record<string, unknown> = { a: 1, password: 'p' };
    for (let i = 0; i < 5; i++) wide[`k${i}`] = i;
    const out = createSanitizer({ shareUnchanged: true, maxKeys: 3 })(wide);
    expect(out).toEqual({ a: 1, password: REDACTED, k0: 0, '[…]': '4 more keys' });
  });

  it('caps a wide object with nothing to redact', () => {
    const out = createSanitizer({ shareUnchanged: true, maxKeys: 2 })({ a: 1, b: 2, c: 3 });
    expect(out).toEqual({ a: 1, b: 2, '[…]': '1 more keys' });
  });

  it('handles class instances: unchanged, redacted, a throwing getter, too many keys', () => {
    class Box {
      constructor(
        public a = 1,
        public secret = 's',
      ) {}
    }
    class Plain {
      a = 1;
    }
    const plain = new Plain();
    expect(share(plain)).toBe(plain);
    expect(share(new Box())).toEqual({ a: 1, secret: REDACTED });
    const hostile = Object.create(Plain.prototype, {
      ok: { value: 1, enumerable: true },
      bad: {
        enumerable: true,
        get() {
          throw new Error('getter');
        },
      },
    });
    expect(share(hostile)).toEqual({ ok: 1, bad: '[Unreadable]' });
    const box = Object.assign(new Plain(), { b: 2, c: 3 });
    expect(createSanitizer({ shareUnchanged: true, maxKeys: 2 })(box)).toEqual({
      a: 1,
      b: 2,
      '[…]': '1 more keys',
    });
  });

  it('keeps valid Dates and writes invalid ones as text', () => {
    const at = new Date(0);
    expect((share({ at }) as { at: unknown }).at).toBe(at);
    expect(share(new Date(Number.NaN))).toBe('Invalid Date');
  });

  it('writes scalars JSON cannot as text', () => {
    function named() {}
    const branded = Object.assign(() => 'x', { [SECRET_BRAND]: true });
    expect(share({ f: named, g: branded, b: 10n, s: Symbol('x') })).toEqual({
      f: '[Function named]',
      g: REDACTED,
      b: '10',
      s: 'Symbol(x)',
    });
  });

  it('writes Maps with other keys as pairs, capped, and Sets as capped arrays', () => {
    const key = { id: 1 };
    const clean = createSanitizer({ shareUnchanged: true, maxArrayLength: 1 });
    expect(
      clean(
        new Map<unknown, unknown>([
          [key, 'a'],
          [2, 'b'],
        ]),
      ),
    ).toEqual([[{ id: 1 }, 'a'], '[… 1 more items]']);
    expect(
      clean(
        new Map([
          ['a', 1],
          ['b', 2],
        ]),
      ),
    ).toEqual({ a: 1, '[…]': '1 more entries' });
    expect(clean(new Set([1, 2, 3]))).toEqual([1, '[… 2 more items]']);
  });

  it('serializes errors with their stack scrubbed, members, cause and odd names', () => {
    const err = new Error('login postgres://u:pw@db failed');
    const out = share(err) as Record<string, string>;
    expect(out.type).toBe('Error');
    expect(out.stack).toContain('postgres://[redacted]@db');
    expect(out.stack).not.toContain(':pw@');
    const agg = new AggregateError([new Error('a')], 'many');
    expect(share(agg)).toMatchObject({ type: 'AggregateError', errors: [{ message: 'a' }] });
    const odd = Object.assign(new Error('x'), { name: '' });
    Object.defineProperty(odd, 'message', { value: 42 });
    expect(share(odd)).toMatchObject({ type: 'Error', message: '42' });
    const loop = new Error('loop');
    (loop as { cause?: unknown }).cause = loop;
    expect(share(loop)).toMatchObject({ cause: CIRCULAR });
  });

  it('writes a value whose toJSON throws as [Unserializable]', () => {
    const bad = {
      toJSON() {
        throw new Error('no');
      },
    };
    expect(share({ bad })).toEqual({ bad: '[Unserializable]' });
  });

  it('ends a toJSON that returns itself or a fresh object every time', () => {
    const self = {
      toJSON() {
        return self;
      },
    };
    expect(share({ self })).toEqual({ self: CIRCULAR });
    class Endless {
      toJSON() {
        return new Endless();
      }
    }
    expect(JSON.stringify(share(new Endless()))).toContain('[Truncated]');
  });

  it('writes views and buffers as byte counts', () => {
    expect(share({ v: new DataView(new ArrayBuffer(3)), s: new SharedArrayBuffer(2) })).toEqual({
      v: '[DataView 3 bytes]',
      s: '[ArrayBuffer 2 bytes]',
    });
  });
});
