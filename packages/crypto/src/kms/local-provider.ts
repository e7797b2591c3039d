import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { canonicalContext, type EncryptionContext } from '../context.js';
import { CRYPTO_ERROR_CODES, cryptoError, invalidArgument } from '../errors.js';
import { createKeyring, type KeyInput, type Keyring, keyringSecret } from '../keyring.js';
import type { DataKey, DecryptDataKeyInput, KeyProvider } from './types.js';

/** Options for {@link createLocalKeyProvider}. */
export interface LocalKeyProviderOptions {
  /** Wrapping keys: a keyring, its config string (`"m2:<base64>,m1:<base64>"`) or its array form. */
  keyring: Keyring | string | readonly KeyInput[];
}

const AAD_PREFIX = 'plinth.local-kms.v1.';

/**
 * Key provider that wraps data keys locally with AES-256-GCM under a keyring
 * (primary wraps, active unwraps, retired refused), the encryption context
 * bound as AAD, like KMS does. Same interface as the AWS provider: use it in
 * development and tests, or where a KMS is not available. The wrapped key is
 * `nonce(12) || ciphertext(32) || tag(16)`.
 *
 * @example
 * ```ts
 * import { createEnvelopeCipher, createLocalKeyProvider } from '@plinth/crypto/kms';
 *
 * const envelope = createEnvelopeCipher({
 *   provider: createLocalKeyProvider({ keyring: process.env.LOCAL_MASTER_KEYS! }),
 * });
 * ```
 */
export function createLocalKeyProvider(options: LocalKeyProviderOptions): KeyProvider {
  if (options === null || typeof options !== 'object') {
    throw invalidArgument('createLocalKeyProvider: options { keyring } are required');
  }
  const ring =
    typeof options.keyring === 'string' || Array.isArray(options.keyring)
      ? createKeyring(options.keyring as string | readonly KeyInput[])
      : (options.keyring as Keyring);
  const secret = keyringSecret(ring);

  function keyFor(id: string) {
    const entry = secret.get(id);
    if (entry === undefined) {
      throw cryptoError(
        CRYPTO_ERROR_CODES.UNKNOWN_KEY,
        'Data key is wrapped under a key that is not in the local keyring',
        { keyId: id },
      );
    }
    if (entry.status === 'retired' || entry.key === undefined) {
      throw cryptoError(
        CRYPTO_ERROR_CODES.KEY_RETIRED,
        'Data key is wrapped under a retired local key',
        { keyId: id },
      );
    }
    return entry.key;
  }

  return Object.freeze({
    id: 'local',
    async generateDataKey(context: EncryptionContext): Promise<DataKey> {
      const keyId = ring.primaryId;
      const plaintextKey = randomBytes(32);
      const nonce = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', keyFor(keyId), nonce);
      cipher.setAAD(Buffer.from(`${AAD_PREFIX}${keyId}.${canonicalContext(context)}`, 'utf8'));
      const wrapped = Buffer.concat([
        nonce,
        cipher.update(plaintextKey),
        cipher.final(),
        cipher.getAuthTag(),
      ]);
      return { plaintextKey, encryptedKey: wrapped, keyId };
    },
    async decryptDataKey(input: DecryptDataKeyInput): Promise<Uint8Array> {
      const key = keyFor(input.keyId);
      const wrapped = Buffer.from(input.encryptedKey);
      const fail = () =>
        cryptoError(
          CRYPTO_ERROR_CODES.DECRYPT_FAILED,
          'Local key provider could not unwrap the data key (wrong key or context, or tampered)',
          { keyId: input.keyId },
        );
      if (wrapped.length !== 60) throw fail();
      const decipher = createDecipheriv('aes-256-gcm', key, wrapped.subarray(0, 12), {
        authTagLength: 16,
      });
      decipher.setAAD(
        Buffer.from(`${AAD_PREFIX}${input.keyId}.${canonicalContext(input.context)}`, 'utf8'),
      );
      decipher.setAuthTag(wrapped.subarray(44));
      try {
        const out = decipher.update(wrapped.subarray(12, 44));
        decipher.final();
        return out;
      } catch {
        throw fail();
      }
    },
  });
}
