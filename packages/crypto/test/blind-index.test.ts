import { createBlindIndex, createKeyring } from '@plinth/crypto';
import { describe, expect, it } from 'vitest';
import { b64, expectCode, K1, K2, serialised } from './helpers.js';

describe('createBlindIndex', () => {
  const email = createBlindIndex({
    key: K1,
    scope: 'clients.email',
    normalize: (v) => v.trim().toLowerCase(),
  });

  it('is deterministic and normalises before hashing', () => {
    const a = email.compute('Ada@Example.com ');
    expect(a).toBe(email.compute('ada@example.com'));
    expect(a).toMatch(/^v1:[A-Za-z0-9_-]{22}$/);
    expect(email.compute('bob@example.com')).not.toBe(a);
  });

  it('separates scopes under the same key', () => {
    const phone = createBlindIndex({
      key: K1,
      scope: 'clients.phone',
      normalize: (v) => v.trim().toLowerCase(),
    });
    expect(phone.compute('ada@example.com')).not.toBe(email.compute('ada@example.com'));
  });

  it('truncates to the requested length', () => {
    const short = createBlindIndex({ key: b64(K1), scope: 's', bytes: 8 });
    expect(Buffer.from(short.compute('x').slice(3), 'base64url').length).toBe(8);
    const full = createBlindIndex({ key: b64(K1), scope: 's', bytes: 32 });
    expect(full.compute('x').startsWith(short.compute('x').slice(0, 12))).toBe(true);
  });

  it('indexes bytes as well as strings', () => {
    expect(email.compute(Buffer.from('raw'))).toBe(
      createBlindIndex({ key: K1, scope: 'clients.email' }).compute('raw'),
    );
  });

  it('computes old and new versions during a rotation window', () => {
    const before = createBlindIndex({ key: `v1:${b64(K1)}`, scope: 'clients.email' });
    const during = createBlindIndex({ key: `v2:${b64(K2)},v1:${b64(K1)}`, scope: 'clients.email' });
    const stored = before.compute('ada@example.com');
    expect(during.version).toBe('v2');
    expect(during.versions).toEqual(['v2', 'v1']);
    const candidates = during.candidates('ada@example.com');
    expect(candidates).toHaveLength(2);
    expect(candidates[0]).toBe(during.compute('ada@example.com'));
    expect(candidates[0]!.startsWith('v2:')).toBe(true);
    expect(candidates).toContain(stored);
  });

  it('accepts a keyring, computes under its primary and skips retired versions', () => {
    const ring = createKeyring([
      { id: 'v3', key: K2, status: 'primary' },
      { id: 'v1', status: 'retired' },
      { id: 'v2', key: K1, status: 'active' },
    ]);
    const index = createBlindIndex({ key: ring, scope: 'clients.email' });
    expect(index.versions).toEqual(['v3', 'v2']);
    expect(index.compute('a')).toBe(
      createBlindIndex({ key: K2, version: 'v3', scope: 'clients.email' }).compute('a'),
    );
    expect(index.candidates('a')[1]).toBe(
      createBlindIndex({ key: `v2:${b64(K1)}`, scope: 'clients.email' }).compute('a'),
    );
  });

  it('gives different values for the same key under different version labels', () => {
    const a = createBlindIndex({ key: K1, scope: 's', version: 'a' }).compute('x');
    const b = createBlindIndex({ key: K1, scope: 's', version: 'b' }).compute('x');
    expect(a.slice(2)).not.toBe(b.slice(2));
  });

  it('wraps a throwing normalize hook in a typed error that does not carry the value', () => {
    const index = createBlindIndex({
      key: K1,
      scope: 's',
      normalize: (v) => {
        throw new Error(`cannot normalise ${v}`);
      },
    });
    const err = expectCode(() => index.compute('ada@example.com'), 'CRYPTO_INVALID_ARGUMENT');
    expect(serialised(err)).not.toContain('ada@example.com');
    expect((err as { cause?: unknown }).cause).toBeUndefined();
    expectCode(() => index.candidates('ada@example.com'), 'CRYPTO_INVALID_ARGUMENT');
  });

  it('refuses strings with lone surrogates instead of colliding with U+FFFD', () => {
    const index = createBlindIndex({ key: K1, scope: 's' });
    expectCode(() => index.compute('\ud800'), 'CRYPTO_INVALID_ARGUMENT');
    expectCode(() => index.compute('a\udc00'), 'CRYPTO_INVALID_ARGUMENT');
    const hostile = createBlindIndex({ key: K1, scope: 's', normalize: () => '\ud800' });
    expectCode(() => hostile.compute('x'), 'CRYPTO_INVALID_ARGUMENT');
    expect(index.compute('\ud83d\ude00')).toMatch(/^v1:/);
  });

  it('rejects an empty scope or a length outside 8..32 as INVALID_OPTIONS, bad keys as KEYRING_INVALID', () => {
    for (const options of [
      { scope: '' },
      { scope: 'x'.repeat(201) },
      { scope: 's', bytes: 4 },
      { scope: 's', bytes: 33 },
      { scope: 's', bytes: 16.5 },
    ]) {
      expectCode(() => createBlindIndex({ key: K1, ...options }), 'INVALID_OPTIONS');
    }
    expectCode(
      () => createBlindIndex({ key: K1, scope: 's', normalize: () => 1 as never }).compute('x'),
      'INVALID_OPTIONS',
    );
    expectCode(() => createBlindIndex({ key: {} as never, scope: 's' }), 'INVALID_OPTIONS');
    expectCode(() => createBlindIndex({ key: K1, scope: 's', version: 'v 1' }), 'KEYRING_INVALID');
    const err = expectCode(
      () => createBlindIndex({ key: b64(K1).slice(4), scope: 's' }),
      'KEYRING_INVALID',
    );
    expect(serialised(err)).not.toContain(b64(K1).slice(4, 20));
    expectCode(() => email.compute(5 as unknown as string), 'CRYPTO_INVALID_ARGUMENT');
  });
});
