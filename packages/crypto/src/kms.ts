export type { AwsKmsKeyProviderOptions, KmsClientLike } from './kms/aws-provider.js';
export { createAwsKmsKeyProvider } from './kms/aws-provider.js';
export type { DataKeyCacheOptions } from './kms/cache.js';
export type {
  EncryptStreamOptions,
  EnvelopeCipher,
  EnvelopeCipherOptions,
} from './kms/envelope.js';
export { createEnvelopeCipher } from './kms/envelope.js';
export type { LocalKeyProviderOptions } from './kms/local-provider.js';
export { createLocalKeyProvider } from './kms/local-provider.js';
export type { DataKey, DecryptDataKeyInput, KeyProvider } from './kms/types.js';
