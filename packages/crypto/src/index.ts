// Keys and keyrings
export type { KeyInfo, KeyInput, Keyring, KeyStatus } from './keyring.js';
export { createKeyring } from './keyring.js';
export { KEY_ID_PATTERN } from './key-id.js';

// Field cipher
export type { FieldCipher, FieldCipherOptions } from './field-cipher.js';
export { createFieldCipher } from './field-cipher.js';
export type { EncryptionContext } from './context.js';
export { canonicalContext } from './context.js';

// Blind indexes
export type { BlindIndex, BlindIndexOptions } from './blind-index.js';
export { createBlindIndex } from './blind-index.js';

// Passwords
export type { PasswordHashOptions } from './passwords.js';
export { hashPassword, needsRehash, PASSWORD_DEFAULTS, verifyPassword } from './passwords.js';

// Tokens and comparisons
export { randomToken } from './random.js';
export { timingSafeEqual } from './timing-safe-equal.js';

// Errors
export type { CryptoErrorCode } from './errors.js';
export { CRYPTO_ERROR_CODES } from './errors.js';
