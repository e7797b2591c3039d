import { Readable } from 'node:stream';
import { buffer } from 'node:stream/consumers';
import { pipeline } from 'node:stream/promises';
import { createEnvelopeCipher, createLocalKeyProvider, type KeyProvider } from '@plinth/crypto/kms';
import { describe, expect, it } from 'vitest';
import { b64, expectCode, expectCodeAsync, K1 } from './helpers.js';

// Rules of docs/crypto-format.md §3 that the vectors alone do not pin down.
const provider = createLocalKeyProvider({ keyring: `m1:${b64(K1)}` });
const envelope = createEnvelopeCipher({ provider, frameLength: 16 });
/** Fixed header bytes with provider `local`, key id `m1`, a 60-byte wrapped key and the tag. */
const FIXED = 9 + 32 + 1 + 5 + 2 + 2 + 2 + 60 + 2 + 16;

describe('envelope format rules', () => {
  it('counts the tag in the 64 KiB header limit: 65,536 bytes pass, one more is refused', async () => {
    const fits = { k: 'a'.repeat(65_536 - FIXED - 2 - 1 - 2) };
    const blob = await envelope.encrypt('x', fits);
    expect(blob.length).toBe(65_536 + 9 + 1 + 16);
    expect((await envelope.decrypt(blob, fits)).toString()).toBe('x');
    const stream = envelope.decryptStream(fits);
    const [plain] = await Promise.all([buffer(stream), pipeline(Readable.from([blob]), stream)]);
    expect(plain.toString()).toBe('x');
    await expectCodeAsync(
      () => envelope.encrypt('x', { k: `${fits.k}a` }),
      'CRYPTO_INVALID_ARGUMENT',
    );
  });

  it('counts UTF-8 bytes, not characters, in the u16 lengths', async () => {
    const blob = await envelope.encrypt('x', { é: '東京' });
    const pair = Buffer.from([0, 2, 0xc3, 0xa9, 0, 6, ...Buffer.from('東京')]);
    expect(blob.includes(pair)).toBe(true);
  });

  it('refuses a decrypt context with a lone surrogate, which no header can hold', async () => {
    const blob = await envelope.encrypt('x', { tenant: 't1' });
    await expectCodeAsync(
      () => envelope.decrypt(blob, { tenant: '\ud800' }),
      'CRYPTO_INVALID_ARGUMENT',
    );
    expectCode(() => envelope.decryptStream({ '\udc00': 'x' }), 'CRYPTO_INVALID_ARGUMENT');
  });

  it('writes a message of k whole frames as k-1 regular frames and a full final frame', async () => {
    const blob = await envelope.encrypt(Buffer.alloc(32, 1));
    const frames = blob.subarray(blob.length - 2 * (9 + 16 + 16));
    expect([frames[4], frames.readUInt32BE(5)]).toEqual([0x00, 16]);
    expect([frames[41 + 4], frames.readUInt32BE(41 + 5)]).toEqual([0x01, 16]);
  });

  it('refuses a provider that returns an empty key id or no wrapped key (KMS_ERROR)', async () => {
    const faulty = (patch: object): KeyProvider => ({
      id: 'custom',
      generateDataKey: async () => ({
        plaintextKey: new Uint8Array(32),
        encryptedKey: new Uint8Array(8),
        keyId: 'k',
        ...patch,
      }),
      decryptDataKey: async () => new Uint8Array(32),
    });
    for (const patch of [
      { keyId: '' },
      { encryptedKey: new Uint8Array(0) },
      { plaintextKey: new Uint8Array(16) },
    ]) {
      await expectCodeAsync(
        () => createEnvelopeCipher({ provider: faulty(patch) }).encrypt('x'),
        'KMS_ERROR',
      );
    }
  });
});
