import { ServiceUnavailableError } from '@plinth/errors';
import { isNetworkError } from '@plinth/internal';
import { CRYPTO_ERROR_CODES, cryptoError } from '../errors.js';

const UNAVAILABLE = new Set([
  'ThrottlingException',
  'LimitExceededException',
  'KMSInternalException',
  'DependencyTimeoutException',
  'KeyUnavailableException',
  'ServiceUnavailable',
  'ServiceUnavailableException',
  'InternalFailure',
  'RequestTimeout',
  'RequestTimeoutException',
  'TimeoutError',
  'AbortError',
]);
const ACCESS_DENIED = new Set([
  'AccessDeniedException',
  'UnrecognizedClientException',
  'InvalidSignatureException',
  'ExpiredTokenException',
  'InvalidGrantTokenException',
  'CredentialsProviderError',
]);
const KEY_UNUSABLE = new Set([
  'DisabledException',
  'NotFoundException',
  'KMSInvalidStateException',
  'InvalidKeyUsageException',
  'InvalidArnException',
  'UnsupportedOperationException',
]);
const BAD_CIPHERTEXT = new Set(['InvalidCiphertextException', 'IncorrectKeyException']);

/** `Retry-After` of a transient KMS failure: throttling and brief outages clear in seconds. */
export const KMS_RETRY_AFTER_SECONDS = 5;

/** A transient KMS failure: callers may retry with backoff. */
function kmsUnavailable(message: string, context: Record<string, unknown>, cause: unknown) {
  return new ServiceUnavailableError(message, {
    code: CRYPTO_ERROR_CODES.KMS_UNAVAILABLE,
    retryable: true,
    retryAfterSeconds: KMS_RETRY_AFTER_SECONDS,
    context,
    cause,
  });
}

interface SdkErrorLike {
  name?: unknown;
  $metadata?: { httpStatusCode?: number };
}

/**
 * Maps an AWS SDK error from a KMS call to a Plinth AppError:
 * throttling/outage → ServiceUnavailableError `KMS_UNAVAILABLE` (retryable);
 * IAM/credentials → `KMS_ACCESS_DENIED`; disabled/missing/wrong key →
 * `KMS_KEY_UNUSABLE`; bad ciphertext or context → `DECRYPT_FAILED`; else `KMS_ERROR`.
 */
export function mapKmsError(err: unknown, operation: string) {
  const e = (err ?? {}) as SdkErrorLike;
  const name = typeof e.name === 'string' ? e.name : 'Error';
  const status = e.$metadata?.httpStatusCode;
  const context = {
    operation,
    awsError: name,
    ...(status === undefined ? {} : { httpStatus: status }),
  };
  if (
    UNAVAILABLE.has(name) ||
    isNetworkError(err) ||
    status === 429 ||
    (status !== undefined && status >= 500)
  ) {
    return kmsUnavailable(
      `KMS ${operation} failed: throttled or unavailable (${name})`,
      context,
      err,
    );
  }
  if (ACCESS_DENIED.has(name)) {
    return cryptoError(
      CRYPTO_ERROR_CODES.KMS_ACCESS_DENIED,
      `KMS ${operation} was denied (${name}): check the IAM policy, key policy and grants`,
      context,
      err,
    );
  }
  if (KEY_UNUSABLE.has(name)) {
    return cryptoError(
      CRYPTO_ERROR_CODES.KMS_KEY_UNUSABLE,
      `KMS ${operation} failed: the KMS key is not usable (${name})`,
      context,
      err,
    );
  }
  if (BAD_CIPHERTEXT.has(name)) {
    return cryptoError(
      CRYPTO_ERROR_CODES.DECRYPT_FAILED,
      `KMS ${operation} rejected the encrypted data key or its encryption context (${name})`,
      context,
      err,
    );
  }
  return cryptoError(
    CRYPTO_ERROR_CODES.KMS_ERROR,
    `KMS ${operation} failed (${name})`,
    context,
    err,
  );
}
