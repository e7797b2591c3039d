import { InternalError, type Severity } from '@plinth/errors';

/**
 * Stable error codes thrown by `@plinth/crypto` and `@plinth/crypto/kms`.
 * Every failure is an AppError carrying one of these as `code`; messages never
 * contain key material, plaintext or encryption-context values.
 *
 * @example
 * ```ts
 * import { CRYPTO_ERROR_CODES } from '@plinth/crypto';
 *
 * try { cipher.decrypt(value, ctx); } catch (err) {
 *   if (err.code === CRYPTO_ERROR_CODES.DECRYPT_FAILED) alertTampering();
 * }
 * ```
 */
export const CRYPTO_ERROR_CODES = Object.freeze({
  /** Keyring or key configuration is invalid (bad base64, length, id, duplicates, no primary). */
  KEYRING_INVALID: 'KEYRING_INVALID',
  /**
   * Data passed to a crypto call has the wrong type or shape (a context, a
   * plaintext, an indexed value). A developer's bad *options* are
   * `INVALID_OPTIONS` from `@plinth/errors` instead.
   */
  INVALID_ARGUMENT: 'CRYPTO_INVALID_ARGUMENT',
  /** The ciphertext or blob does not parse (wrong prefix, version, encoding or lengths). */
  CIPHERTEXT_MALFORMED: 'CIPHERTEXT_MALFORMED',
  /** The ciphertext names a key id the keyring does not know. */
  UNKNOWN_KEY: 'UNKNOWN_KEY',
  /** The ciphertext names a key that is retired: known, but no longer allowed to decrypt. */
  KEY_RETIRED: 'KEY_RETIRED',
  /** Authentication failed: wrong context, wrong key, tampering, truncation or reordering. */
  DECRYPT_FAILED: 'DECRYPT_FAILED',
  /** A stored password hash does not parse or uses parameters outside the accepted bounds. */
  PASSWORD_HASH_MALFORMED: 'PASSWORD_HASH_MALFORMED',
  /** KMS is throttling or unreachable (ServiceUnavailableError, retryable). */
  KMS_UNAVAILABLE: 'KMS_UNAVAILABLE',
  /** KMS refused the caller (IAM/key policy/grant). Not retryable; fix permissions. */
  KMS_ACCESS_DENIED: 'KMS_ACCESS_DENIED',
  /** The KMS key is disabled, pending deletion, missing or of the wrong type. */
  KMS_KEY_UNUSABLE: 'KMS_KEY_UNUSABLE',
  /** Any other KMS failure. */
  KMS_ERROR: 'KMS_ERROR',
} as const);

/** One of the values of {@link CRYPTO_ERROR_CODES}. */
export type CryptoErrorCode = (typeof CRYPTO_ERROR_CODES)[keyof typeof CRYPTO_ERROR_CODES];

const SEVERITY: Partial<Record<CryptoErrorCode, Severity>> = {
  KEYRING_INVALID: 'critical',
  KMS_ACCESS_DENIED: 'critical',
  KMS_KEY_UNUSABLE: 'critical',
};

/**
 * Builds the 500-class error used for every non-transient crypto failure:
 * stored data that cannot be decrypted is a server problem, never the client's.
 * `context` must only hold non-sensitive diagnostics (key ids, reasons, sizes).
 */
export function cryptoError(
  code: CryptoErrorCode,
  message: string,
  context?: Record<string, unknown>,
  cause?: unknown,
): InternalError {
  return new InternalError(message, {
    code,
    severity: SEVERITY[code] ?? 'error',
    ...(context === undefined ? {} : { context }),
    ...(cause === undefined ? {} : { cause }),
  });
}

/** Shorthand for a data-argument error; the message names the parameter, never its value. */
export function invalidArgument(message: string, context?: Record<string, unknown>) {
  return cryptoError(CRYPTO_ERROR_CODES.INVALID_ARGUMENT, message, context);
}

/** An error's class name when it is a plain identifier, else its `typeof`; never its message. */
export function errorName(err: unknown): string {
  try {
    const name = err instanceof Error ? err.name : undefined;
    if (typeof name === 'string' && /^[A-Za-z_$][\w$]{0,63}$/.test(name)) return name;
  } catch {
    // A Proxy as the thrown value: fall through.
  }
  return typeof err;
}
