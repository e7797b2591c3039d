import type { EncryptionContext } from '../context.js';

/** A fresh data key: the plaintext (used once, then zeroed) and its wrapped form for the header. */
export interface DataKey {
  /** 32 bytes. The envelope copies what it needs and zero-fills this buffer. */
  plaintextKey: Uint8Array;
  /** Opaque wrapped key, stored in the blob header (at most 65535 bytes). */
  encryptedKey: Uint8Array;
  /** Identifies the wrapping key (a KMS key ARN, a local key id); stored in the header. */
  keyId: string;
}

/** What the envelope needs to unwrap a data key from a header. */
export interface DecryptDataKeyInput {
  encryptedKey: Uint8Array;
  keyId: string;
  context: EncryptionContext;
}

/**
 * Source of data keys. AWS KMS and the local provider implement it; so can a
 * custom one (Vault transit, GCP KMS). Failures should be AppErrors with the
 * codes in `CRYPTO_ERROR_CODES` (`KMS_UNAVAILABLE`, `KMS_ACCESS_DENIED`…);
 * anything else is wrapped as `KMS_ERROR`.
 */
export interface KeyProvider {
  /** Written into every header, 1–255 bytes of UTF-8 (`'aws-kms'`, `'local'`). */
  readonly id: string;
  generateDataKey(context: EncryptionContext): Promise<DataKey>;
  decryptDataKey(input: DecryptDataKeyInput): Promise<Uint8Array>;
}
