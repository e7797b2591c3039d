import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createEnvelopeCipher, createLocalKeyProvider } from '@plinth/crypto/kms';
import fc from 'fast-check';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { b64, expectCodeAsync, K1 } from './helpers.js';

const envelope = createEnvelopeCipher({
  provider: createLocalKeyProvider({ keyring: `m1:${b64(K1)}` }),
  frameLength: 64,
});
// ~8 KiB of context makes an ~8 KiB header.
const ctx = { tenant: 't1', note: 'n'.repeat(8000) };
const plaintext = Buffer.from('a secret worth keeping '.repeat(20));

async function decryptChunks(chunks: Buffer[], context?: Record<string, string>) {
  const out: Buffer[] = [];
  await pipeline(
    Readable.from(chunks),
    envelope.decryptStream(context),
    new Writable({
      write(chunk: Buffer, _e, cb) {
        out.push(chunk);
        cb();
      },
    }),
  );
  return Buffer.concat(out);
}

const bytes = (blob: Buffer) => Array.from(blob, (_, i) => blob.subarray(i, i + 1));

afterEach(() => {
  vi.restoreAllMocks();
});

describe('decryptStream header accumulation', () => {
  it('decrypts a blob fed in 1-byte chunks while copying a linear number of bytes', async () => {
    const blob = await envelope.encrypt(plaintext, ctx);
    expect(blob.length).toBeGreaterThan(8000);
    const chunks = bytes(blob);

    let copied = 0;
    let concatenated = 0;
    const copy = Buffer.prototype.copy;
    vi.spyOn(Buffer.prototype, 'copy').mockImplementation(function (this: Buffer, ...args) {
      const n = copy.apply(this, args);
      copied += n;
      return n;
    });
    const concat = Buffer.concat;
    vi.spyOn(Buffer, 'concat').mockImplementation((list, total) => {
      const result = concat(list, total);
      concatenated += result.length;
      return result;
    });

    const back = await decryptChunks(chunks, { tenant: 't1' });
    vi.restoreAllMocks();

    expect(back.equals(plaintext)).toBe(true);
    // Re-copying the partial header on every byte would be ~blob²/2 (≈ 32 MB here).
    expect(copied).toBeLessThan(12 * blob.length);
    expect(concatenated).toBeLessThan(4 * blob.length);
  });

  it('decrypts a blob split at arbitrary points', async () => {
    const blob = await envelope.encrypt(plaintext, ctx);
    await fc.assert(
      fc.asyncProperty(
        fc.uniqueArray(fc.integer({ min: 1, max: blob.length - 1 }), { maxLength: 12 }),
        async (cuts) => {
          const points = [0, ...cuts.sort((a, b) => a - b), blob.length];
          const chunks = points.slice(1).map((end, i) => blob.subarray(points[i], end));
          expect((await decryptChunks(chunks)).equals(plaintext)).toBe(true);
        },
      ),
      { numRuns: 40 },
    );
  });

  it('still refuses a non-envelope after its first 3 bytes', async () => {
    // Only the first 3 bytes are ever sent: the rest of the stream never arrives.
    const source = new Readable({ read() {} });
    source.push(Buffer.from('X'));
    source.push(Buffer.from('Y'));
    source.push(Buffer.from('Z'));
    const sink = new Writable({ write: (_c, _e, cb) => cb() });
    await expectCodeAsync(
      () => pipeline(source, envelope.decryptStream(), sink),
      'CIPHERTEXT_MALFORMED',
    );
  });

  it('refuses a header claiming more than 64 KiB in small chunks', async () => {
    const blob = await envelope.encrypt(plaintext, { tenant: 't1' });
    // Rewrite the key id length field (after the 42-byte prefix and provider id) to 0xffff.
    const forged = Buffer.from(blob);
    const keyIdAt = 42 + forged[41]!;
    forged.writeUInt16BE(0xffff, keyIdAt);
    const padded = Buffer.concat([forged, Buffer.alloc(70_000)]);
    const chunks = Array.from({ length: Math.ceil(padded.length / 1000) }, (_, i) =>
      padded.subarray(i * 1000, (i + 1) * 1000),
    );
    const err = await expectCodeAsync(() => decryptChunks(chunks), 'CIPHERTEXT_MALFORMED');
    expect(err.message).toContain('64 KiB');
  });
});
