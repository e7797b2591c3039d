import { createHash } from 'node:crypto';
import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { createEnvelopeCipher, createLocalKeyProvider } from '@plinth/crypto/kms';
import { describe, expect, it } from 'vitest';
import { b64, expectCodeAsync, K1 } from './helpers.js';

const envelope = createEnvelopeCipher({
  provider: createLocalKeyProvider({ keyring: `m1:${b64(K1)}` }),
});
const ctx = { object: 'exports/2024.csv' };
const MB = 1024 * 1024;

// A live-memory measurement needs garbage collected first, or the reading is
// mostly GC lag (rss grows 40-50 MB from garbage alone). Exposes V8's gc().
setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;
const live = () => {
  gc();
  const m = process.memoryUsage();
  return m.heapUsed + m.arrayBuffers;
};

/** Lazily generated deterministic data: nothing is held in memory. */
function source(totalBytes: number, chunk = 64 * 1024) {
  return Readable.from(
    (function* () {
      for (let sent = 0, i = 0; sent < totalBytes; sent += chunk, i++) {
        const buf = Buffer.alloc(Math.min(chunk, totalBytes - sent), i & 0xff);
        buf.writeUInt32BE(i, 0);
        yield buf;
      }
    })(),
  );
}

function collect() {
  const chunks: Buffer[] = [];
  return {
    chunks,
    sink: new Writable({
      write(chunk: Buffer, _e, cb) {
        chunks.push(chunk);
        cb();
      },
    }),
  };
}

async function encryptToBuffer(data: Buffer, frameLength = 16) {
  const cipher = createEnvelopeCipher({
    provider: createLocalKeyProvider({ keyring: `m1:${b64(K1)}` }),
    frameLength,
  });
  const out = collect();
  await pipeline(Readable.from([data]), cipher.encryptStream(ctx), out.sink);
  return { cipher, blob: Buffer.concat(out.chunks) };
}

async function decryptStreamed(cipher: typeof envelope, blob: Buffer, chunk = 7) {
  const out = collect();
  const pieces: Buffer[] = [];
  for (let i = 0; i < blob.length; i += chunk) pieces.push(blob.subarray(i, i + chunk));
  await pipeline(Readable.from(pieces), cipher.decryptStream(ctx), out.sink);
  return Buffer.concat(out.chunks);
}

describe('envelope streaming', () => {
  it('streams 100 MB through encrypt and decrypt with bounded memory', async () => {
    const total = 100 * MB;
    const inHash = createHash('sha256');
    const outHash = createHash('sha256');
    let received = 0;
    let peak = 0;
    const baseline = live();
    let peakRss = 0;
    const rssBaseline = process.memoryUsage().rss;
    const tap = source(total);
    tap.on('data', (c: Buffer) => inHash.update(c));
    const enc = envelope.encryptStream(ctx);
    const dec = envelope.decryptStream(ctx);
    let maxBuffered = 0;
    await pipeline(
      tap,
      enc,
      dec,
      new Writable({
        write(chunk: Buffer, _e, cb) {
          outHash.update(chunk);
          const buffered =
            enc.writableLength + enc.readableLength + dec.writableLength + dec.readableLength;
          maxBuffered = Math.max(maxBuffered, buffered);
          received += chunk.length;
          if ((received & (8 * MB - 1)) < chunk.length) {
            peak = Math.max(peak, live() - baseline);
            peakRss = Math.max(peakRss, process.memoryUsage().rss - rssBaseline);
          }
          cb();
        },
      }),
    );
    expect(received).toBe(total);
    expect(outHash.digest('hex')).toBe(inHash.digest('hex'));
    // Holding the data would need > 100 MB of live buffers; streaming needs a few frames.
    // Typically ~1 MB; V8 frees ArrayBuffer memory on a background sweeper, so
    // a reading can still include up to a few tens of MB of swept garbage.
    expect(peak).toBeLessThan(64 * MB);
    // Deterministic view of the same property: streams hold a few frames at most.
    expect(maxBuffered).toBeLessThan(1 * MB);
    console.info(
      `100 MB stream: live growth ${(peak / MB).toFixed(1)} MB, rss growth ${(peakRss / MB).toFixed(1)} MB`,
    );
  });

  it('produces the same format as the one-shot API (each decrypts the other)', async () => {
    const data = Buffer.from('x'.repeat(100));
    const { cipher, blob } = await encryptToBuffer(data);
    expect((await cipher.decrypt(blob, ctx)).equals(data)).toBe(true);
    const oneShot = await cipher.encrypt(data, ctx);
    expect((await decryptStreamed(cipher, oneShot)).equals(data)).toBe(true);
  });

  it('detects truncation at frame boundaries and mid-frame while streaming', async () => {
    const data = Buffer.alloc(64, 3); // 3 regular frames + a full final frame
    const { cipher, blob } = await encryptToBuffer(data);
    const frame = 9 + 16 + 16;
    const headerLength = blob.length - 4 * frame;
    for (const cut of [
      headerLength,
      headerLength + frame,
      headerLength + 3 * frame,
      blob.length - 1,
      headerLength + 20,
    ]) {
      await expectCodeAsync(() => decryptStreamed(cipher, blob.subarray(0, cut)), 'DECRYPT_FAILED');
    }
    await expectCodeAsync(
      () => decryptStreamed(cipher, blob.subarray(0, headerLength - 3)),
      'CIPHERTEXT_MALFORMED',
    );
  });

  it('detects reordered frames and appended data while streaming', async () => {
    const data = Buffer.alloc(48, 4);
    const { cipher, blob } = await encryptToBuffer(data);
    const frame = 9 + 16 + 16;
    const headerLength = blob.length - 2 * frame - (9 + 16 + 16);
    const header = blob.subarray(0, headerLength);
    const f = [0, 1, 2].map((i) =>
      blob.subarray(headerLength + i * frame, headerLength + (i + 1) * frame),
    );
    await expectCodeAsync(
      () => decryptStreamed(cipher, Buffer.concat([header, f[1]!, f[0]!, f[2]!])),
      'DECRYPT_FAILED',
    );
    await expectCodeAsync(
      () => decryptStreamed(cipher, Buffer.concat([blob, Buffer.from([0])])),
      'DECRYPT_FAILED',
    );
  });

  it('fails a stream longer than its declared plaintextLength', async () => {
    const out = collect();
    await expectCodeAsync(
      () =>
        pipeline(
          Readable.from([Buffer.alloc(10)]),
          envelope.encryptStream(ctx, { plaintextLength: 5 }),
          out.sink,
        ),
      'CRYPTO_INVALID_ARGUMENT',
    );
  });

  it('fails a stream whose key provider fails, with the provider error', async () => {
    const failing = createEnvelopeCipher({
      provider: {
        id: 'x',
        generateDataKey: () => Promise.reject(new Error('down')),
        decryptDataKey: () => Promise.reject(new Error('down')),
      },
    });
    const out = collect();
    await expectCodeAsync(
      () => pipeline(Readable.from([Buffer.alloc(10)]), failing.encryptStream(ctx), out.sink),
      'KMS_ERROR',
    );
  });
});
