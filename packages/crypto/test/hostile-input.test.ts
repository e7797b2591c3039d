import {
  createBlindIndex,
  createFieldCipher,
  createKeyring,
  timingSafeEqual,
} from '@plinth/crypto';
import { createEnvelopeCipher, createLocalKeyProvider } from '@plinth/crypto/kms';
import { describe, expect, it } from 'vitest';
import { b64, expectCode, expectCodeAsync, K1, serialised } from './helpers.js';

const SECRET = 'ssn-123-45-6789';
const boom = () => {
  throw new Error(`caller data ${SECRET}`);
};
/** A Proxy whose every trap throws an error quoting caller data. */
const hostile = () =>
  new Proxy(
    {},
    {
      get: boom,
      ownKeys: boom,
      getOwnPropertyDescriptor: boom,
      getPrototypeOf: boom,
      has: boom,
    },
  );
const revoked = () => {
  const r = Proxy.revocable({}, {});
  r.revoke();
  return r.proxy;
};
const getterThrows = (key: string, base: object = {}) =>
  Object.defineProperty({ ...base }, key, { enumerable: true, get: boom });

function expectWithheld(err: unknown) {
  expect(serialised(err)).not.toContain(SECRET);
  expect((err as { cause?: unknown }).cause).toBeUndefined();
}

const keyring = createKeyring(`k1:${b64(K1)}`);
const cipher = createFieldCipher({ keyring });
const ctx = { table: 'clients', column: 'email' };

// Hostile *data* only: contexts, plaintexts, indexed values, key material.
// Developer options are typed; a Proxy there is the developer's own doing.
describe('hostile caller data', () => {
  it('createKeyring reports a hole in a sparse array instead of skipping it', () => {
    const sparse = [{ id: 'k1', key: K1, status: 'primary' }];
    sparse.length = 2;
    const err = expectCode(() => createKeyring(sparse as never), 'KEYRING_INVALID');
    expect(err.message).toBe('Keyring entry 2 is missing');
  });

  it('createKeyring refuses a key that is a Proxy of a Uint8Array', () => {
    expectCode(
      () => createKeyring([{ id: 'k1', key: new Proxy(K1, {}), status: 'primary' }]),
      'KEYRING_INVALID',
    );
  });

  it('field encrypt/decrypt turn a throwing context into CRYPTO_INVALID_ARGUMENT', () => {
    const stored = cipher.encrypt('ada@example.com', ctx);
    for (const context of [hostile(), revoked(), getterThrows('row', ctx)]) {
      for (const call of [
        () => cipher.encrypt('ada@example.com', context as never),
        () => cipher.decrypt(stored, context as never),
        () => cipher.rotate(stored, context as never),
      ]) {
        const err = expectCode(call, 'CRYPTO_INVALID_ARGUMENT');
        expectWithheld(err);
      }
    }
  });

  it('field encrypt refuses a Proxy plaintext with a typed error', () => {
    for (const plaintext of [hostile(), new Proxy(Buffer.from('x'), {})]) {
      expectWithheld(
        expectCode(() => cipher.encrypt(plaintext as never, ctx), 'CRYPTO_INVALID_ARGUMENT'),
      );
    }
  });

  it('blind index compute refuses a Proxy value with a typed error', () => {
    const index = createBlindIndex({ key: K1, scope: 'clients.email' });
    for (const value of [hostile(), new Proxy(Buffer.from('x'), {})]) {
      expectWithheld(expectCode(() => index.compute(value as never), 'CRYPTO_INVALID_ARGUMENT'));
    }
  });

  it('timingSafeEqual refuses a Proxy with a typed error', () => {
    expectCode(() => timingSafeEqual(hostile() as never, 'x'), 'CRYPTO_INVALID_ARGUMENT');
  });

  it('envelope encrypt/decrypt/streams turn a throwing context into CRYPTO_INVALID_ARGUMENT', async () => {
    const envelope = createEnvelopeCipher({
      provider: createLocalKeyProvider({ keyring: `m1:${b64(K1)}` }),
    });
    const blob = await envelope.encrypt('hello', { tenant: 't1' });
    for (const context of [hostile(), revoked(), getterThrows('tenant')]) {
      expectWithheld(
        await expectCodeAsync(
          () => envelope.encrypt('hello', context as never),
          'CRYPTO_INVALID_ARGUMENT',
        ),
      );
      expectWithheld(
        await expectCodeAsync(
          () => envelope.decrypt(blob, context as never),
          'CRYPTO_INVALID_ARGUMENT',
        ),
      );
      expectWithheld(
        expectCode(() => envelope.encryptStream(context as never), 'CRYPTO_INVALID_ARGUMENT'),
      );
      expectWithheld(
        expectCode(() => envelope.decryptStream(context as never), 'CRYPTO_INVALID_ARGUMENT'),
      );
    }
  });

  it('envelope reads a context once, so a getter cannot change it between checks', async () => {
    const envelope = createEnvelopeCipher({
      provider: createLocalKeyProvider({ keyring: `m1:${b64(K1)}` }),
    });
    let reads = 0;
    const flaky = Object.defineProperty({}, 'tenant', {
      enumerable: true,
      get: () => (++reads === 1 ? 't1' : '\uD800'),
    });
    const blob = await envelope.encrypt('hello', flaky as never);
    expect(reads).toBe(1);
    expect((await envelope.decrypt(blob, { tenant: 't1' })).toString()).toBe('hello');
  });
});
