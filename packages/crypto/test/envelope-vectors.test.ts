import { readFileSync } from 'node:fs';
import { Readable } from 'node:stream';
import { buffer } from 'node:stream/consumers';
import { pipeline } from 'node:stream/promises';
import { canonicalContext, type KeyStatus } from '@plinth/crypto';
import { createEnvelopeCipher, createLocalKeyProvider } from '@plinth/crypto/kms';
import { isAppError } from '@plinth/errors';
import { describe, expect, it } from 'vitest';
import { expectCodeAsync } from './helpers.js';

interface Vector {
  description: string;
  frameLength: number;
  context: Record<string, string>;
  plaintextHex: string;
  plaintext?: string;
  wrappingKeyId: string;
  dataKeyHex: string;
  wrappedKeyHex: string;
  wrapAad: string;
  headerLength: number;
  frameCount: number;
  blobHex: string;
}
interface Invalid {
  description: string;
  error: string;
  blobHex: string;
  decryptContext?: Record<string, string>;
}
const file = JSON.parse(
  readFileSync(new URL('./vectors/envelope-v1.json', import.meta.url), 'utf8'),
) as {
  providerId: string;
  wrappingKeys: { id: string; status: KeyStatus; key: string }[];
  vectors: Vector[];
  invalid: Invalid[];
};

// Decrypt-only: the vectors were generated once by scripts/generate-envelope-vectors.mjs.
const provider = createLocalKeyProvider({ keyring: file.wrappingKeys });
const envelope = createEnvelopeCipher({ provider });
const hex = (s: string) => Buffer.from(s, 'hex');

/** Decrypts through decryptStream, feeding the blob in chunks of `size` bytes. */
async function viaStream(blob: Buffer, size: number, context?: Record<string, string>) {
  const chunks = [];
  for (let at = 0; at < blob.length; at += size) chunks.push(blob.subarray(at, at + size));
  const out = envelope.decryptStream(context);
  const [plain] = await Promise.all([buffer(out), pipeline(Readable.from(chunks), out)]);
  return plain;
}

async function rejection(run: () => Promise<unknown>): Promise<string> {
  try {
    await run();
  } catch (err) {
    expect(isAppError(err), String(err)).toBe(true);
    return (err as { code: string }).code;
  }
  return 'accepted';
}

describe('envelope-v1 test vectors', () => {
  it('covers the cases a reader in another language needs', () => {
    expect(file.providerId).toBe(provider.id);
    const frames = file.vectors.map((v) => [v.frameCount, hex(v.plaintextHex).length]);
    expect(frames).toContainEqual([1, 0]); // empty
    expect(frames.some(([n]) => n! >= 3)).toBe(true); // multi-frame
    expect(file.vectors.some((v) => hex(v.plaintextHex).length === 3 * v.frameLength)).toBe(true);
    const nonAscii = (k: string) => Buffer.byteLength(k) !== k.length;
    expect(file.vectors.some((v) => Object.keys(v.context).some(nonAscii))).toBe(true);
    expect(file.invalid.length).toBeGreaterThanOrEqual(12);
  });

  for (const v of file.vectors) {
    describe(v.description, () => {
      const blob = hex(v.blobHex);

      it('decrypts to the plaintext with the full context and with each single pair', async () => {
        expect((await envelope.decrypt(blob, v.context)).toString('hex')).toBe(v.plaintextHex);
        if (v.plaintext !== undefined)
          expect((await envelope.decrypt(blob)).toString()).toBe(v.plaintext);
        for (const [k, value] of Object.entries(v.context)) {
          expect((await envelope.decrypt(blob, { [k]: value })).toString('hex')).toBe(
            v.plaintextHex,
          );
        }
      });

      it('decrypts as a stream in 1-byte, 7-byte and whole chunks', async () => {
        for (const size of [1, 7, blob.length]) {
          expect((await viaStream(blob, size, v.context)).toString('hex')).toBe(v.plaintextHex);
        }
      });

      it('unwraps the data key with the local provider and the documented AAD', async () => {
        expect(`plinth.local-kms.v1.${v.wrappingKeyId}.${canonicalContext(v.context)}`).toBe(
          v.wrapAad,
        );
        const key = await provider.decryptDataKey({
          encryptedKey: hex(v.wrappedKeyHex),
          keyId: v.wrappingKeyId,
          context: v.context,
        });
        expect(Buffer.from(key).toString('hex')).toBe(v.dataKeyHex);
      });

      it('rejects every single-byte change and every truncation with a typed error', async () => {
        for (let at = 0; at < blob.length; at++) {
          const bad = Buffer.from(blob);
          bad[at]! ^= 0x01;
          expect(await rejection(() => envelope.decrypt(bad, v.context)), `byte ${at}`).not.toBe(
            'accepted',
          );
        }
        for (let length = 0; length < blob.length; length++) {
          const cut = blob.subarray(0, length);
          expect(await rejection(() => envelope.decrypt(cut)), `length ${length}`).not.toBe(
            'accepted',
          );
        }
      });
    });
  }

  for (const bad of file.invalid) {
    it(`rejects ${bad.description} with ${bad.error}`, async () => {
      const blob = hex(bad.blobHex);
      await expectCodeAsync(() => envelope.decrypt(blob, bad.decryptContext), bad.error);
      await expectCodeAsync(() => viaStream(blob, 5, bad.decryptContext), bad.error);
    });
  }
});
