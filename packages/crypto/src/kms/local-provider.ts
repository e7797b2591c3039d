import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { requireOptionsObject } from '@plinth/errors';
import { canonicalContext, type EncryptionContext } from '../context.js';
import { CRYPTO_ERROR_CODES, cryptoError } from '../errors.js';
import {
  createKeyring,
  type KeyInput,
  type Keyring,
  keyringSecret,
  usableKey,
} from '../keyring.js';
import type { DataKey, DecryptDataKeyInput, KeyProvider } from './types.js';

/** Options for {@link createLocalKeyProvider}. */
export interface LocalKeyProviderOptions {
  /** Wrapping keys: a keyring, its config string (`"m2:<base64>,m1:<base64>"`) or its array form. */
  keyring: Keyring | string | readonly KeyInput[];
}

const AAD_PREFIX = 'plinth.local-kms.v1.';
const NONCE = 12;
const TAG = 16;
const WRAPPED = NONCE + 32 + TAG;

/** AAD of a wrapped key: binds it to the wrapping key id and the whole context. */
const wrapAad = (keyId: string, context: EncryptionContext) =>
  Buffer.from(`${AAD_PREFIX}${keyId}.${canonicalContext(context)}`, 'utf8');

/**
 * Key provider `local`: wraps data keys with AES-256-GCM under a keyring
 * (the primary wraps; primary and active keys unwrap; retired keys are
 * refused), the context bound as AAD like KMS does. Same interface as the AWS
 * provider, for development, tests, or where no KMS is available. Wrapped key
 * layout and AAD: docs/crypto-format.md §3.
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
  const { keyring } = requireOptionsObject(options, 'createLocalKeyProvider', 'a keyring');
  const ring =
    typeof keyring === 'string' || Array.isArray(keyring)
      ? createKeyring(keyring as string | readonly KeyInput[])
      : (keyring as Keyring);
  const secret = keyringSecret(ring, 'createLocalKeyProvider');

  const keyFor = (id: string) => usableKey(secret, id, 'Wrapped data key');

  return Object.freeze({
    id: 'local',
    async generateDataKey(context: EncryptionContext): Promise<DataKey> {
      const keyId = ring.primaryId;
      const plaintextKey = randomBytes(32);
      const nonce = randomBytes(NONCE);
      const cipher = createCipheriv('aes-256-gcm', keyFor(keyId), nonce);
      cipher.setAAD(wrapAad(keyId, context));
      const body = Buffer.concat([cipher.update(plaintextKey), cipher.final()]);
      return {
        plaintextKey,
        encryptedKey: Buffer.concat([nonce, body, cipher.getAuthTag()]),
        keyId,
      };
    },
    async decryptDataKey({ encryptedKey, keyId, context }: DecryptDataKeyInput) {
      const key = keyFor(keyId);
      const wrapped = Buffer.from(encryptedKey);
      try {
        if (wrapped.length !== WRAPPED) throw new RangeError('wrapped key length');
        const decipher = createDecipheriv('aes-256-gcm', key, wrapped.subarray(0, NONCE), {
          authTagLength: TAG,
        });
        decipher.setAAD(wrapAad(keyId, context));
        decipher.setAuthTag(wrapped.subarray(WRAPPED - TAG));
        const out = decipher.update(wrapped.subarray(NONCE, WRAPPED - TAG));
        decipher.final();
        return out;
      } catch {
        throw cryptoError(
          CRYPTO_ERROR_CODES.DECRYPT_FAILED,
          'Local key provider could not unwrap the data key (wrong key or context, or tampered)',
          { keyId },
        );
      }
    },
  });
}
