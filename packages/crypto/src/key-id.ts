/**
 * The key-id grammar, defined once: keyring ids, field-ciphertext key ids,
 * blind-index versions and the config fragment all use it. Ids are written
 * into stored values next to `.` and `:` separators, so neither may appear.
 *
 * @example
 * ```ts
 * import { KEY_ID_PATTERN } from '@plinth/crypto';
 *
 * KEY_ID_PATTERN.test('k2024-01'); // true
 * KEY_ID_PATTERN.test('prod:1'); // false
 * ```
 */
export const KEY_ID_PATTERN = /^[A-Za-z0-9_-]{1,32}$/;

/** The grammar as people read it, for error messages and docs. */
export const KEY_ID_RULE = '[A-Za-z0-9_-]{1,32}';
