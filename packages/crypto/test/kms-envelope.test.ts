import { createEnvelopeCipher, createLocalKeyProvider, type KeyProvider } from '@plinth/crypto/kms';
import { describe, expect, it } from 'vitest';
import { b64, catchError, expectCode, expectCodeAsync, K1, K2, serialised } from './helpers.js';

const provider = createLocalKeyProvider({ keyring: `m1:${b64(K1)}` });
const envelope = createEnvelopeCipher({ provider, frameLength: 16 });
const ctx = { tenant: 't1', purpose: 'export' };

async function catchAsync(fn: () => Promise<unknown>) {
  try {
    await fn();
  } catch (err) {
    return catchError(() => {
      throw err;
    });
  }
  throw new Error('expected a rejection');
}

function frames(blob: Buffer, plaintextLength: number, frameLength = 16) {
  const count =
    Math.floor(plaintextLength / frameLength) +
    (plaintextLength % frameLength === 0 && plaintextLength > 0 ? 0 : 1);
  const sizes = Array.from({ length: count }, (_, i) =>
    i < count - 1 ? frameLength : plaintextLength - frameLength * (count - 1),
  ).map((n) => 9 + n + 16);
  const total = sizes.reduce((a, b) => a + b, 0);
  const header = blob.subarray(0, blob.length - total);
  const out: Buffer[] = [];
  let pos = header.length;
  for (const size of sizes) {
    out.push(blob.subarray(pos, pos + size));
    pos += size;
  }
  return { header, frames: out };
}

describe('envelope round trips (local provider)', () => {
  const values: [string, Buffer][] = [
    ['empty', Buffer.alloc(0)],
    ['short', Buffer.from('hello')],
    ['exactly one frame', Buffer.alloc(16, 7)],
    ['exactly two frames', Buffer.alloc(32, 9)],
    ['multi-byte UTF-8', Buffer.from('Zoë 東京 🧑‍💻')],
  ];
  for (const [what, value] of values) {
    it(`round-trips ${what}`, async () => {
      const blob = await envelope.encrypt(value, ctx);
      expect(blob.subarray(0, 5).equals(Buffer.from([0x50, 0x4c, 0x45, 1, 1]))).toBe(true);
      expect((await envelope.decrypt(blob, ctx)).equals(value)).toBe(true);
    });
  }

  it('round-trips 1 MB with the default frame size and a string input', async () => {
    const big = createEnvelopeCipher({ provider });
    const value = 'é'.repeat(512 * 1024);
    const blob = await big.encrypt(value, ctx);
    expect((await big.decrypt(blob)).toString('utf8')).toBe(value);
  });

  it('accepts a subset of the context on decrypt and rejects a mismatch', async () => {
    const blob = await envelope.encrypt('x', ctx);
    expect((await envelope.decrypt(blob, { tenant: 't1' })).toString()).toBe('x');
    const err = await expectCodeAsync(
      () => envelope.decrypt(blob, { tenant: 't2' }),
      'DECRYPT_FAILED',
    );
    expect(serialised(err)).not.toContain('t2');
  });

  it('rejects a blob for another provider with UNKNOWN_KEY', async () => {
    const other: KeyProvider = { ...provider, id: 'other' };
    const blob = await createEnvelopeCipher({ provider: other }).encrypt('x');
    await expectCodeAsync(() => envelope.decrypt(blob), 'UNKNOWN_KEY');
  });

  it('decrypts after the wrapping key rotates, and refuses once it is retired', async () => {
    const blob = await envelope.encrypt('x', ctx);
    const rotated = createEnvelopeCipher({
      provider: createLocalKeyProvider({ keyring: `m2:${b64(K2)},m1:${b64(K1)}` }),
    });
    expect((await rotated.decrypt(blob)).toString()).toBe('x');
    const retired = createEnvelopeCipher({
      provider: createLocalKeyProvider({
        keyring: [
          { id: 'm2', key: K2, status: 'primary' },
          { id: 'm1', status: 'retired' },
        ],
      }),
    });
    await expectCodeAsync(() => retired.decrypt(blob), 'KEY_RETIRED');
  });
});

describe('envelope tamper detection', () => {
  it('rejects a flip of any bit of any byte with a typed error', async () => {
    const plaintext = Buffer.from('attack at dawn, bring snacks!!'); // 2 frames
    const blob = await envelope.encrypt(plaintext, ctx);
    for (let i = 0; i < blob.length; i++) {
      for (const bit of [0x01, 0x80]) {
        const copy = Buffer.from(blob);
        copy[i]! ^= bit;
        const err = await catchAsync(() => envelope.decrypt(copy));
        expect(['DECRYPT_FAILED', 'CIPHERTEXT_MALFORMED', 'UNKNOWN_KEY']).toContain(err.code);
        expect(serialised(err)).not.toContain('attack');
      }
    }
  });

  it('detects truncation at every frame boundary and inside frames', async () => {
    const plaintext = Buffer.alloc(50, 1);
    const blob = await envelope.encrypt(plaintext, ctx);
    const { header, frames: parts } = frames(blob, 50);
    expect(parts).toHaveLength(4);
    for (let keep = 0; keep < parts.length; keep++) {
      const cut = Buffer.concat([header, ...parts.slice(0, keep)]);
      await expectCodeAsync(() => envelope.decrypt(cut), 'DECRYPT_FAILED');
    }
    await expectCodeAsync(
      () => envelope.decrypt(blob.subarray(0, blob.length - 5)),
      'DECRYPT_FAILED',
    );
    await expectCodeAsync(() => envelope.decrypt(blob.subarray(0, 20)), 'CIPHERTEXT_MALFORMED');
  });

  it('detects reordered, duplicated and dropped frames', async () => {
    const blob = await envelope.encrypt(Buffer.alloc(50, 2), ctx);
    const { header, frames: p } = frames(blob, 50);
    const [a, b, c, d] = p as [Buffer, Buffer, Buffer, Buffer];
    for (const order of [
      [b, a, c, d],
      [a, a, b, c, d],
      [a, c, d],
      [a, b, c, c, d],
      [a, b, c, d, d],
    ]) {
      await expectCodeAsync(
        () => envelope.decrypt(Buffer.concat([header, ...order])),
        'DECRYPT_FAILED',
      );
    }
  });

  it('detects a header swapped between two messages under the same data key', async () => {
    const cached = createEnvelopeCipher({ provider, frameLength: 16, cache: { maxAge: 60_000 } });
    const one = await cached.encrypt(Buffer.alloc(20, 1), ctx);
    const two = await cached.encrypt(Buffer.alloc(20, 2), ctx);
    const f1 = frames(one, 20);
    const f2 = frames(two, 20);
    expect(f1.header.length).toBe(f2.header.length);
    await expectCodeAsync(
      () => cached.decrypt(Buffer.concat([f1.header, ...f2.frames])),
      'DECRYPT_FAILED',
    );
    await expectCodeAsync(
      () => cached.decrypt(Buffer.concat([f1.header, f1.frames[0]!, f2.frames[1]!])),
      'DECRYPT_FAILED',
    );
  });

  it('rejects garbage, other versions and non-bytes as CIPHERTEXT_MALFORMED', async () => {
    const blob = await envelope.encrypt('x', ctx);
    const v2 = Buffer.from(blob);
    v2[3] = 2;
    for (const bad of [
      Buffer.alloc(0),
      Buffer.from('hello world'),
      v2,
      'str' as unknown as Buffer,
    ]) {
      await expectCodeAsync(() => envelope.decrypt(bad), 'CIPHERTEXT_MALFORMED');
    }
  });

  it('refuses lone surrogates in string plaintext and context, which UTF-8 would turn into U+FFFD', async () => {
    await expectCodeAsync(() => envelope.encrypt('\ud800', ctx), 'CRYPTO_INVALID_ARGUMENT');
    await expectCodeAsync(
      () => envelope.encrypt('x', { tenant: '\udc00' }),
      'CRYPTO_INVALID_ARGUMENT',
    );
    await expectCodeAsync(
      () => envelope.encrypt('x', { '\ud800': 'a' }),
      'CRYPTO_INVALID_ARGUMENT',
    );
    await expectCodeAsync(
      () => envelope.encrypt('x', { '\ud83d': '\ude00' }),
      'CRYPTO_INVALID_ARGUMENT',
    );
  });

  it('rejects an out-of-range frame length and provider id as INVALID_OPTIONS, a bad context as CRYPTO_INVALID_ARGUMENT', async () => {
    for (const frameLength of [8, 1.5, 2 ** 24 + 1]) {
      expectCode(() => createEnvelopeCipher({ provider, frameLength }), 'INVALID_OPTIONS');
    }
    for (const id of ['', 'x'.repeat(256)]) {
      const err = expectCode(
        () => createEnvelopeCipher({ provider: { ...provider, id } }),
        'INVALID_OPTIONS',
      );
      expect(err.message).toContain('provider.id');
    }
    await expectCodeAsync(
      () => envelope.encrypt('x', { n: 1 as unknown as string }),
      'CRYPTO_INVALID_ARGUMENT',
    );
  });

  it('wraps a non-AppError from a custom provider as KMS_ERROR', async () => {
    const broken: KeyProvider = {
      id: 'broken',
      generateDataKey: async () => {
        throw new Error('boom');
      },
      decryptDataKey: async () => new Uint8Array(32),
    };
    await expectCodeAsync(
      () => createEnvelopeCipher({ provider: broken }).encrypt('x'),
      'KMS_ERROR',
    );
  });
});
