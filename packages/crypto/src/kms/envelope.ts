import { randomBytes } from 'node:crypto';
import { Transform } from 'node:stream';
import { isUint8Array } from 'node:util/types';
import {
  invalidOptions,
  isAppError,
  type OptionIssueInput,
  requireOptionsObject,
} from '@plinth/errors';
import { canonicalContext, type EncryptionContext, readContext } from '../context.js';
import { checkPlaintext } from '../encoding.js';
import { CRYPTO_ERROR_CODES, cryptoError } from '../errors.js';
import { createDataKeyCache, type DataKeyCacheOptions } from './cache.js';
import {
  deriveContentKey,
  encodeHeaderBody,
  type Header,
  headerTag,
  integrity,
  MAX_FRAME,
  MESSAGE_ID_BYTES,
  MIN_FRAME,
  malformed,
} from './format.js';
import { createFrameDecryptor, createFrameEncryptor } from './frames.js';
import { HeaderReader } from './header-reader.js';
import type { KeyProvider } from './types.js';

/** Options for {@link createEnvelopeCipher}. */
export interface EnvelopeCipherOptions {
  /** Where data keys come from (AWS KMS, local, custom). */
  provider: KeyProvider;
  /** Data-key cache limits; omit to call the provider for every message. */
  cache?: DataKeyCacheOptions;
  /** Plaintext bytes per frame, 16 B..16 MiB. Default 65536. */
  frameLength?: number;
}

/** Options for {@link EnvelopeCipher.encryptStream}. */
export interface EncryptStreamOptions {
  /** Declared total size. Required for the stream to use the data-key cache; longer input then fails. */
  plaintextLength?: number;
}

/** Envelope encryption of blobs and streams under data keys from a {@link KeyProvider}. */
export interface EnvelopeCipher {
  /** Encrypts a whole value into one self-describing blob (format in docs/crypto-format.md). */
  encrypt(plaintext: Uint8Array | string, context?: EncryptionContext): Promise<Buffer>;
  /** Decrypts a blob. Every pair of `context` must be present and equal in the blob's context. */
  decrypt(blob: Uint8Array, context?: EncryptionContext): Promise<Buffer>;
  /** Transform: plaintext bytes in, blob bytes out, memory bounded by one frame. */
  encryptStream(context?: EncryptionContext, options?: EncryptStreamOptions): Transform;
  /**
   * Transform: blob bytes in, plaintext out. Each frame is released only after
   * its tag verifies, but a stream is only complete and untruncated once it
   * ends without error: do not act on partial output before that.
   */
  decryptStream(context?: EncryptionContext): Transform;
  /** Drops (and zero-fills) every cached data key. */
  clearCache(): void;
}

/** Runs a provider call; anything but an AppError becomes `KMS_ERROR` (with the cause). */
async function call<T>(operation: string, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (err) {
    if (isAppError(err)) throw err;
    throw cryptoError(
      CRYPTO_ERROR_CODES.KMS_ERROR,
      `Key provider ${operation} failed`,
      { operation },
      err,
    );
  }
}

/**
 * Creates an envelope cipher: each message gets a data key from the provider
 * (or the bounded cache), a per-message key derived with HKDF and a random
 * 32-byte message id, an authenticated header, and AES-256-GCM frames with
 * sequence numbers and a final-frame marker.
 *
 * @example
 * ```ts
 * import { createEnvelopeCipher, createLocalKeyProvider } from '@plinth/crypto/kms';
 *
 * const envelope = createEnvelopeCipher({
 *   provider: createLocalKeyProvider({ keyring: process.env.LOCAL_MASTER_KEYS! }),
 *   cache: { maxAge: 5 * 60_000, maxMessages: 1000 },
 * });
 * const blob = await envelope.encrypt(fileBytes, { tenant: 't1', purpose: 'export' });
 * const back = await envelope.decrypt(blob, { tenant: 't1' });
 * ```
 */
export function createEnvelopeCipher(options: EnvelopeCipherOptions): EnvelopeCipher {
  const {
    provider,
    frameLength = 65_536,
    cache: cacheOptions,
  } = requireOptionsObject(options, 'createEnvelopeCipher', 'a provider');
  if (
    typeof provider !== 'object' ||
    provider === null ||
    typeof provider.generateDataKey !== 'function' ||
    typeof provider.decryptDataKey !== 'function'
  ) {
    throw invalidOptions('createEnvelopeCipher', {
      path: 'provider',
      message: 'must be a KeyProvider (id, generateDataKey, decryptDataKey)',
    });
  }
  const issues: OptionIssueInput[] = [];
  if (!Number.isInteger(frameLength) || frameLength < MIN_FRAME || frameLength > MAX_FRAME) {
    issues.push({
      path: 'frameLength',
      message: `must be an integer from ${MIN_FRAME} to ${MAX_FRAME}`,
    });
  }
  const idBytes = Buffer.byteLength(String(provider.id), 'utf8');
  if (typeof provider.id !== 'string' || idBytes === 0 || idBytes > 255) {
    issues.push({ path: 'provider.id', message: 'must be 1 to 255 bytes of UTF-8' });
  }
  if (issues.length > 0) throw invalidOptions('createEnvelopeCipher', issues);
  const cache = cacheOptions === undefined ? undefined : createDataKeyCache(cacheOptions);

  /** Read once (getters cannot change it later); lone surrogates refused: headers store UTF-8. */
  const headerContext = (context: unknown) => readContext(context, true);

  async function prepareEncrypt(context: Record<string, string>, length: number | undefined) {
    const cacheId = `${provider.id}\0${canonicalContext(context)}`;
    let material = cache?.cacheable(length) ? cache.useForEncrypt(cacheId, length) : undefined;
    if (material === undefined) {
      const dk = await call('generateDataKey', () => provider.generateDataKey({ ...context }));
      // The header needs a 32-byte key, a 1..65535-byte wrapped key and a non-empty key id.
      const wrapped = { encryptedKey: Buffer.from(dk?.encryptedKey ?? []), keyId: dk?.keyId };
      if (
        !(dk?.plaintextKey instanceof Uint8Array) ||
        dk.plaintextKey.length !== 32 ||
        wrapped.encryptedKey.length === 0 ||
        wrapped.encryptedKey.length > 0xffff ||
        typeof wrapped.keyId !== 'string' ||
        wrapped.keyId === ''
      ) {
        throw cryptoError(
          CRYPTO_ERROR_CODES.KMS_ERROR,
          'Key provider returned an unusable data key',
        );
      }
      if (cache?.cacheable(length)) cache.putForEncrypt(cacheId, dk.plaintextKey, wrapped, length);
      material = { key: Buffer.from(dk.plaintextKey), wrapped };
      dk.plaintextKey.fill(0);
    }
    const messageId = randomBytes(MESSAGE_ID_BYTES);
    const key = deriveContentKey(material.key, messageId);
    material.key.fill(0);
    const body = encodeHeaderBody({
      frameLength,
      messageId,
      providerId: provider.id,
      keyId: material.wrapped.keyId,
      encryptedKey: Buffer.from(material.wrapped.encryptedKey),
      context: { ...context },
    });
    const tag = headerTag(key, body);
    return {
      header: Buffer.concat([body, tag]),
      frames: createFrameEncryptor(key, tag, frameLength, length),
    };
  }

  async function prepareDecrypt(header: Header, expected: Record<string, string> | undefined) {
    if (expected !== undefined) {
      for (const [k, v] of Object.entries(expected)) {
        if (!Object.hasOwn(header.context, k) || header.context[k] !== v) {
          integrity('encryption context does not match');
        }
      }
    }
    if (header.providerId !== provider.id) {
      throw cryptoError(
        CRYPTO_ERROR_CODES.UNKNOWN_KEY,
        'Blob was encrypted with another key provider',
        { providerId: header.providerId },
      );
    }
    const cacheId = `${provider.id}\0${header.keyId}\0${header.encryptedKey.toString('base64')}\0${canonicalContext(header.context)}`;
    let dataKey = cache?.getForDecrypt(cacheId);
    if (dataKey === undefined) {
      const { encryptedKey, keyId, context } = header;
      const plain = await call('decryptDataKey', () =>
        provider.decryptDataKey({ encryptedKey, keyId, context: { ...context } }),
      );
      if (!(plain instanceof Uint8Array) || plain.length !== 32)
        integrity('key provider returned an invalid data key');
      cache?.putForDecrypt(cacheId, plain);
      dataKey = Buffer.from(plain);
      plain.fill(0);
    }
    const key = deriveContentKey(dataKey, header.messageId);
    dataKey.fill(0);
    const expectedTag = headerTag(key, header.body);
    if (!expectedTag.equals(header.tag)) integrity('header tag mismatch');
    return createFrameDecryptor(key, header);
  }

  /** Shared push-parser: header, then key, then frames. */
  function decryptor(context: EncryptionContext | undefined) {
    const expected = context === undefined ? undefined : headerContext(context);
    const reader = new HeaderReader();
    let frames: ReturnType<typeof createFrameDecryptor> | undefined;
    return {
      async push(chunk: Buffer): Promise<Buffer[]> {
        if (frames !== undefined) return frames.push(chunk);
        const found = reader.push(chunk);
        if (found === undefined) return [];
        frames = await prepareDecrypt(found.header, expected);
        const out: Buffer[] = [];
        for (const rest of found.rest) if (rest.length > 0) out.push(...frames.push(rest));
        return out;
      },
      end() {
        if (frames === undefined) {
          if (reader.length === 0) malformed('empty input');
          malformed('incomplete header');
        }
        frames.end();
      },
    };
  }

  return Object.freeze({
    async encrypt(plaintext: Uint8Array | string, context: EncryptionContext = {}) {
      checkPlaintext(plaintext);
      const bytes =
        typeof plaintext === 'string'
          ? Buffer.from(plaintext, 'utf8')
          : Buffer.from(plaintext.buffer, plaintext.byteOffset, plaintext.byteLength);
      const { header, frames } = await prepareEncrypt(headerContext(context), bytes.length);
      return Buffer.concat([header, ...frames.update(bytes), frames.final()]);
    },
    async decrypt(blob: Uint8Array, context?: EncryptionContext) {
      if (!isUint8Array(blob)) malformed('not bytes');
      const d = decryptor(context);
      const out = await d.push(Buffer.from(blob.buffer, blob.byteOffset, blob.byteLength));
      d.end();
      return out.length === 1 ? out[0]! : Buffer.concat(out);
    },
    encryptStream(context: EncryptionContext = {}, streamOptions: EncryptStreamOptions = {}) {
      const length = streamOptions.plaintextLength;
      if (length !== undefined && (!Number.isSafeInteger(length) || length < 0)) {
        throw invalidOptions('encryptStream', {
          path: 'plaintextLength',
          message: 'must be a non-negative integer',
        });
      }
      const copy = headerContext(context);
      let state: Awaited<ReturnType<typeof prepareEncrypt>> | undefined;
      return new Transform({
        construct(callback) {
          prepareEncrypt(copy, length).then((s) => {
            state = s;
            callback();
          }, callback);
        },
        transform(chunk: Buffer, _encoding, callback) {
          try {
            const s = state!;
            if (s.header.length > 0) {
              this.push(s.header);
              s.header = Buffer.alloc(0);
            }
            for (const frame of s.frames.update(chunk)) this.push(frame);
            callback();
          } catch (err) {
            callback(err as Error);
          }
        },
        flush(callback) {
          try {
            const s = state!;
            if (s.header.length > 0) this.push(s.header);
            callback(null, s.frames.final());
          } catch (err) {
            callback(err as Error);
          }
        },
      });
    },
    decryptStream(context?: EncryptionContext) {
      const d = decryptor(context);
      return new Transform({
        transform(chunk: Buffer, _encoding, callback) {
          d.push(chunk).then((out) => {
            for (const plain of out) this.push(plain);
            callback();
          }, callback);
        },
        flush(callback) {
          try {
            d.end();
            callback();
          } catch (err) {
            callback(err as Error);
          }
        },
      });
    },
    clearCache: () => cache?.clear(),
  });
}
