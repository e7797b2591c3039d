import { createBlindIndex, createFieldCipher, createKeyring } from '@plinth/crypto';
import {
  createAwsKmsKeyProvider,
  createEnvelopeCipher,
  createLocalKeyProvider,
} from '@plinth/crypto/kms';
import { describe, expect, it } from 'vitest';
import { b64, expectCode, K1 } from './helpers.js';

// Plain JavaScript callers and unset variables reach these factories with
// nothing, null or the wrong type: each must answer with a typed error, not
// the TypeError that destructuring `undefined` would throw.
const call =
  (fn: unknown, ...args: unknown[]) =>
  () =>
    (fn as (...a: unknown[]) => unknown)(...args);

describe('factory options', () => {
  const factories: [string, unknown, string][] = [
    ['createFieldCipher', createFieldCipher, 'a keyring'],
    ['createBlindIndex', createBlindIndex, 'a key and a scope'],
    ['createEnvelopeCipher', createEnvelopeCipher, 'a provider'],
    ['createLocalKeyProvider', createLocalKeyProvider, 'a keyring'],
    ['createAwsKmsKeyProvider', createAwsKmsKeyProvider, 'a client and a keyId'],
  ];
  for (const [name, factory, holds] of factories) {
    it(`${name} refuses missing, null, array or non-object options with INVALID_OPTIONS`, () => {
      for (const options of [[], [undefined], [null], ['text'], [42], [[]], [() => ({})]]) {
        const err = expectCode(call(factory, ...options), 'INVALID_OPTIONS');
        expect(err.message).toBe(`${name}: options must be an object with ${holds}`);
        expect((err as unknown as { issues: { path: string }[] }).issues).toEqual([
          { path: 'options', message: `must be an object with ${holds}`, code: 'invalid_option' },
        ]);
        expect(err.status).toBe(500);
      }
    });
  }

  it('createEnvelopeCipher names a cache option that is not an object as cache', () => {
    const provider = {
      id: 'p1',
      generateDataKey: async () => ({}),
      decryptDataKey: async () => ({}),
    };
    for (const cache of [null, 'yes', []]) {
      const err = expectCode(call(createEnvelopeCipher, { provider, cache }), 'INVALID_OPTIONS');
      expect((err as unknown as { issues: { path: string; message: string }[] }).issues).toEqual([
        { path: 'cache', message: 'must be an object with a maxAge', code: 'invalid_option' },
      ]);
    }
  });

  it('createKeyring refuses a missing, null or non-string non-array input with KEYRING_INVALID', () => {
    for (const [input, type] of [
      [undefined, 'undefined'],
      [null, 'null'],
      [42, 'number'],
      [{}, 'object'],
    ] as const) {
      const err = expectCode(call(createKeyring, input), 'KEYRING_INVALID');
      expect(err.message).toMatch(/^Keyring must be the config string .* got /);
      expect(err.message.endsWith(`got ${type}`)).toBe(true);
    }
    expectCode(call(createKeyring), 'KEYRING_INVALID');
  });

  it('createEnvelopeCipher refuses a missing or incomplete provider with INVALID_OPTIONS', () => {
    for (const provider of [undefined, null, {}, { id: 'x', generateDataKey: () => {} }]) {
      const err = expectCode(call(createEnvelopeCipher, { provider }), 'INVALID_OPTIONS');
      expect(err.message).toMatch(/^createEnvelopeCipher: provider must be a KeyProvider/);
    }
  });

  it('createBlindIndex refuses a missing key and a normalize that is not a function', () => {
    for (const key of [undefined, null, 42]) {
      const err = expectCode(call(createBlindIndex, { key, scope: 's' }), 'INVALID_OPTIONS');
      expect(err.message).toMatch(/^createBlindIndex: key must be 32 bytes/);
    }
    const err = expectCode(
      call(createBlindIndex, { key: K1, scope: 's', normalize: 'lower' }),
      'INVALID_OPTIONS',
    );
    expect(err.message).toMatch(/normalize must be a function/);
  });

  it('createAwsKmsKeyProvider names each missing or wrong option without its value', () => {
    const err = expectCode(
      call(createAwsKmsKeyProvider, { keyId: '', grantTokens: 'tok-secret' }),
      'INVALID_OPTIONS',
    );
    const issues = (err as unknown as { issues: { path: string }[] }).issues;
    expect(issues.map((i) => i.path)).toEqual(['client', 'keyId', 'grantTokens']);
    expect(JSON.stringify(err)).not.toContain('tok-secret');
  });

  it('createLocalKeyProvider still accepts a keyring, its config string or its array form', () => {
    const text = `k1:${b64(K1)}`;
    for (const keyring of [createKeyring(text), text, [{ id: 'k1', key: K1, status: 'primary' }]]) {
      expect(createLocalKeyProvider({ keyring: keyring as never }).id).toBe('local');
    }
  });
});
