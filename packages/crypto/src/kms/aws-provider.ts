import { invalidOptions, type OptionIssueInput, requireOptionsObject } from '@plinth/errors';
import type { EncryptionContext } from '../context.js';
import { CRYPTO_ERROR_CODES, cryptoError } from '../errors.js';
import { mapKmsError } from './aws-errors.js';
import type { DataKey, DecryptDataKeyInput, KeyProvider } from './types.js';

/**
 * The part of `KMSClient` the provider uses. Pass your own configured client
 * (region, credentials, retries); `@aws-sdk/client-kms` stays an optional peer
 * and its command classes are loaded lazily on first use.
 */
export interface KmsClientLike {
  send(command: object): Promise<unknown>;
}

/** Options for {@link createAwsKmsKeyProvider}. */
export interface AwsKmsKeyProviderOptions {
  /** A `KMSClient` from `@aws-sdk/client-kms`. */
  client: KmsClientLike;
  /** KMS key id, ARN or alias used for GenerateDataKey. */
  keyId: string;
  /** Grant tokens passed to every call. */
  grantTokens?: string[];
}

interface Commands {
  GenerateDataKeyCommand: new (input: object) => object;
  DecryptCommand: new (input: object) => object;
}

let commands: Promise<Commands> | undefined;

function loadCommands(): Promise<Commands> {
  commands ??= import('@aws-sdk/client-kms').then(
    (m) => ({
      GenerateDataKeyCommand:
        m.GenerateDataKeyCommand as unknown as Commands['GenerateDataKeyCommand'],
      DecryptCommand: m.DecryptCommand as unknown as Commands['DecryptCommand'],
    }),
    (err: unknown) => {
      commands = undefined;
      throw cryptoError(
        CRYPTO_ERROR_CODES.KMS_ERROR,
        'The AWS KMS provider needs @aws-sdk/client-kms installed',
        undefined,
        err,
      );
    },
  );
  return commands as Promise<Commands>;
}

function bytes(value: unknown): Uint8Array | undefined {
  return value instanceof Uint8Array ? value : undefined;
}

const badResponse = (operation: string) =>
  cryptoError(CRYPTO_ERROR_CODES.KMS_ERROR, `KMS ${operation} returned an unexpected response`, {
    operation,
  });

/**
 * Key provider on AWS KMS: `GenerateDataKey` (AES_256) and `Decrypt`, both
 * with the envelope's encryption context, Decrypt pinned to the key id stored
 * in the header. Errors are mapped as documented in docs/crypto-format.md.
 *
 * @example
 * ```ts
 * import { KMSClient } from '@aws-sdk/client-kms';
 * import { createAwsKmsKeyProvider, createEnvelopeCipher } from '@plinth/crypto/kms';
 *
 * const provider = createAwsKmsKeyProvider({ client: new KMSClient({}), keyId: 'alias/app-data' });
 * const envelope = createEnvelopeCipher({ provider, cache: { maxAge: 60_000 } });
 * ```
 */
export function createAwsKmsKeyProvider(options: AwsKmsKeyProviderOptions): KeyProvider {
  const { client, keyId, grantTokens } = requireOptionsObject(
    options,
    'createAwsKmsKeyProvider',
    'a client and a keyId',
  );
  const issues: OptionIssueInput[] = [];
  if (typeof (client as Partial<KmsClientLike> | null)?.send !== 'function') {
    issues.push({ path: 'client', message: 'must be a KMSClient (an object with send())' });
  }
  if (typeof keyId !== 'string' || keyId === '') {
    issues.push({ path: 'keyId', message: 'must be a non-empty KMS key id, ARN or alias' });
  }
  if (grantTokens !== undefined && !Array.isArray(grantTokens)) {
    issues.push({ path: 'grantTokens', message: 'must be an array of strings' });
  }
  if (issues.length > 0) throw invalidOptions('createAwsKmsKeyProvider', issues);
  const tokens = grantTokens === undefined ? {} : { GrantTokens: [...grantTokens] };

  async function call(
    operation: string,
    build: (c: Commands) => object,
  ): Promise<Record<string, unknown>> {
    const c = await loadCommands();
    try {
      return ((await client.send(build(c))) ?? {}) as Record<string, unknown>;
    } catch (err) {
      throw mapKmsError(err, operation);
    }
  }

  return Object.freeze({
    id: 'aws-kms',
    async generateDataKey(context: EncryptionContext): Promise<DataKey> {
      const res = await call(
        'GenerateDataKey',
        (c) =>
          new c.GenerateDataKeyCommand({
            KeyId: keyId,
            KeySpec: 'AES_256',
            EncryptionContext: { ...context },
            ...tokens,
          }),
      );
      const plaintextKey = bytes(res.Plaintext);
      const encryptedKey = bytes(res.CiphertextBlob);
      const usedKeyId = typeof res.KeyId === 'string' ? res.KeyId : keyId;
      if (plaintextKey?.length !== 32 || encryptedKey === undefined || encryptedKey.length === 0) {
        throw badResponse('GenerateDataKey');
      }
      return { plaintextKey, encryptedKey, keyId: usedKeyId };
    },
    async decryptDataKey(input: DecryptDataKeyInput): Promise<Uint8Array> {
      const res = await call(
        'Decrypt',
        (c) =>
          new c.DecryptCommand({
            CiphertextBlob: input.encryptedKey,
            KeyId: input.keyId,
            EncryptionContext: { ...input.context },
            ...tokens,
          }),
      );
      const plaintext = bytes(res.Plaintext);
      if (plaintext?.length !== 32) throw badResponse('Decrypt');
      return plaintext;
    },
  });
}
