import { inspect } from 'node:util';
import { createKeyring } from '@plinth/crypto';
import { describe, expect, it } from 'vitest';
import { b64, expectCode, K1, K2, serialised } from './helpers.js';

describe('createKeyring', () => {
  it('parses the config string form with the first entry as primary', () => {
    const ring = createKeyring(`k2:${b64(K2)}, k1:${b64(K1)}`);
    expect(ring.primaryId).toBe('k2');
    expect(ring.keys).toEqual([
      { id: 'k2', status: 'primary' },
      { id: 'k1', status: 'active' },
    ]);
  });

  it('accepts the array form with Buffers, base64url strings and a keyless retired key', () => {
    const ring = createKeyring([
      { id: 'old', status: 'retired' },
      { id: 'k1', key: K1, status: 'active' },
      { id: 'k2', key: Buffer.from(K2).toString('base64url'), status: 'primary' },
    ]);
    expect(ring.primaryId).toBe('k2');
    expect(ring.status('old')).toBe('retired');
    expect(ring.status('nope')).toBeUndefined();
  });

  it('keeps key bytes out of JSON, inspect and enumerable properties', () => {
    const ring = createKeyring(`k2:${b64(K2)},k1:${b64(K1)}`);
    const views = [
      JSON.stringify(ring),
      inspect(ring, { depth: 10 }),
      JSON.stringify(Object.entries(ring)),
    ];
    for (const view of views) {
      for (const key of [K1, K2]) {
        expect(view).not.toContain(b64(key));
        expect(view).not.toContain(Buffer.from(key).toString('hex'));
      }
    }
  });

  it('does not change when the caller later mutates the key buffer', () => {
    const key = Buffer.from(K1);
    createKeyring([{ id: 'k1', key, status: 'primary' }]);
    key.fill(0);
    expect(K1.equals(Buffer.alloc(32))).toBe(false);
  });

  const bad: [string, () => unknown][] = [
    ['an empty string', () => createKeyring('')],
    ['an empty array', () => createKeyring([])],
    ['bad base64', () => createKeyring(`k1:${b64(K1).slice(0, 20)}!!${b64(K1).slice(22)}`)],
    ['a 16-byte key', () => createKeyring(`k1:${b64(K1.subarray(0, 16))}`)],
    ['a 33-byte key', () => createKeyring(`k1:${b64(Buffer.concat([K1, Buffer.alloc(1)]))}`)],
    ['a duplicate id', () => createKeyring(`k1:${b64(K1)},k1:${b64(K2)}`)],
    ['an illegal id', () => createKeyring(`k.1:${b64(K1)}`)],
    ['an id longer than 32', () => createKeyring(`${'k'.repeat(33)}:${b64(K1)}`)],
    ['a missing colon', () => createKeyring(b64(K1))],
    ['no primary', () => createKeyring([{ id: 'k1', key: K1, status: 'active' }])],
    [
      'two primaries',
      () =>
        createKeyring([
          { id: 'k1', key: K1, status: 'primary' },
          { id: 'k2', key: K2, status: 'primary' },
        ]),
    ],
    ['an unknown status', () => createKeyring([{ id: 'k1', key: K1, status: 'on' as 'active' }])],
    [
      'a non-string non-buffer key',
      () => createKeyring([{ id: 'k1', key: 42 as unknown as string, status: 'primary' }]),
    ],
    ['a primary with no key', () => createKeyring([{ id: 'k1', status: 'primary' }])],
  ];
  for (const [what, fn] of bad) {
    it(`rejects ${what} with KEYRING_INVALID and no key material in the error`, () => {
      const err = expectCode(fn, 'KEYRING_INVALID');
      expect(err.status).toBe(500);
      const text = serialised(err);
      for (const key of [K1, K2]) {
        expect(text).not.toContain(b64(key).slice(0, 12));
      }
    });
  }
});
