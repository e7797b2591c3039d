import { KMSClient } from '@aws-sdk/client-kms';
import {
  createAwsKmsKeyProvider,
  createEnvelopeCipher,
  createLocalKeyProvider,
  type EnvelopeCipher,
  type KeyProvider,
} from '@plinth/crypto/kms';
import { invalidOptions } from '@plinth/errors';
import type { CheckDefinition } from '@plinth/health';
import { kmsKeyCheck } from '@plinth/health/kms';
import type { Logger } from '@plinth/logging';
import type { ClientsConfig } from '../config.js';

/**
 * The local provider's wrapping key when `LOCAL_KMS_KEYS` is unset: published
 * here, so only for development and tests (refused in staging and production).
 * Base64 of the 32 bytes `plinth-dev-only-local-kms-key-01`.
 */
const DEV_LOCAL_KMS_KEYS = `dev1:${Buffer.from('plinth-dev-only-local-kms-key-01').toString('base64')}`;

/** The envelope cipher of documents, its readiness check, and how to release it. */
export interface DocumentEncryption {
  readonly envelope: EnvelopeCipher;
  /** `aws-kms` or `local`: which provider wraps the data keys. */
  readonly provider: string;
  readonly check: CheckDefinition;
  close(): void;
}

type EncryptionConfig = Pick<
  ClientsConfig,
  'NODE_ENV' | 'AWS_REGION' | 'KMS_KEY_ID' | 'LOCAL_KMS_KEYS'
>;

/** A check the local provider can wrap and unwrap a data key (no network involved). */
function localProviderCheck(provider: KeyProvider): CheckDefinition {
  const context = { purpose: 'health' };
  return {
    componentType: 'component',
    critical: false,
    check: async () => {
      const key = await provider.generateDataKey(context);
      const back = await provider.decryptDataKey({ ...key, context });
      const same = Buffer.from(back).equals(Buffer.from(key.plaintextKey));
      Buffer.from(key.plaintextKey).fill(0);
      Buffer.from(back).fill(0);
      if (!same) throw new Error('local key provider round trip failed');
    },
  };
}

/**
 * Data keys for document envelopes: AWS KMS (`GenerateDataKey`/`Decrypt` with
 * the encryption context) when `KMS_KEY_ID` is set, otherwise the local key
 * provider, which is refused in staging and production. Unwrapped data keys
 * are cached for a minute, so repeated downloads of one document do not call
 * KMS each time; encryption always gets a fresh key (every document has its
 * own context).
 *
 * @example
 * ```ts
 * const { envelope, check } = createDocumentEncryption(config, logger);
 * ```
 */
export function createDocumentEncryption(
  config: EncryptionConfig,
  logger: Logger,
): DocumentEncryption {
  const cache = { maxAge: 60_000, maxMessages: 1_000 };
  if (config.KMS_KEY_ID !== undefined) {
    const client = new KMSClient({ region: config.AWS_REGION });
    const provider = createAwsKmsKeyProvider({ client, keyId: config.KMS_KEY_ID });
    const envelope = createEnvelopeCipher({ provider, cache });
    return {
      envelope,
      provider: provider.id,
      // Non-critical: only documents need KMS; the rest of the API keeps serving.
      check: kmsKeyCheck(client, { keyId: config.KMS_KEY_ID, critical: false }),
      close: () => {
        envelope.clearCache();
        client.destroy();
      },
    };
  }
  if (config.NODE_ENV === 'staging' || config.NODE_ENV === 'production') {
    throw invalidOptions('documents', {
      path: 'KMS_KEY_ID',
      message: `is required in ${config.NODE_ENV}: the local key provider is for development only`,
    });
  }
  const keyring = config.LOCAL_KMS_KEYS?.reveal() ?? DEV_LOCAL_KMS_KEYS;
  if (config.LOCAL_KMS_KEYS === undefined)
    logger.warn('documents use the built-in development key (set KMS_KEY_ID or LOCAL_KMS_KEYS)');
  const provider = createLocalKeyProvider({ keyring });
  const envelope = createEnvelopeCipher({ provider, cache });
  return {
    envelope,
    provider: provider.id,
    check: localProviderCheck(provider),
    close: () => envelope.clearCache(),
  };
}
