import { CRYPTO_ERROR_CODES, invalidArgument, readInput } from './errors.js';

/**
 * Encryption context: string keys to string values (table, column, row id,
 * tenant). Bound into the ciphertext; it is authenticated, not secret, and it
 * is never copied into error messages.
 */
export type EncryptionContext = Readonly<Record<string, string>>;

/**
 * Canonical form of a context: JSON with keys sorted by UTF-16 code units
 * (`Array.prototype.sort()` order), no whitespace, values as JSON strings.
 * Equal to `JSON.stringify` of the same object with sorted keys, written by
 * hand because that is 2–3× faster for these small objects. Values must be
 * strings (`CRYPTO_INVALID_ARGUMENT` otherwise).
 *
 * @example
 * ```ts
 * import { canonicalContext } from '@plinth/crypto';
 *
 * canonicalContext({ table: 'clients', column: 'email' }); // '{"column":"email","table":"clients"}'
 * ```
 */
export function canonicalContext(context: unknown): string {
  const copy = readContext(context);
  const keys = Object.keys(copy);
  if (keys.length === 0) return '{}';
  if (keys.length > 1) keys.sort();
  let out = '{';
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i]!;
    out += `${i === 0 ? '' : ','}${JSON.stringify(key)}:${JSON.stringify(copy[key])}`;
  }
  return `${out}}`;
}

/**
 * Validated copy of a caller's context (null prototype, each property read
 * once), so a getter or Proxy cannot answer differently on a second read. A
 * throwing getter or Proxy trap becomes `CRYPTO_INVALID_ARGUMENT` without its
 * message.
 */
export function readContext(context: unknown): Record<string, string> {
  return readInput(
    () => copyContext(context),
    CRYPTO_ERROR_CODES.INVALID_ARGUMENT,
    'Encryption context',
  );
}

function copyContext(context: unknown): Record<string, string> {
  const copy: Record<string, string> = Object.create(null);
  if (context === undefined) return copy;
  if (context === null || typeof context !== 'object' || Array.isArray(context)) {
    throw invalidArgument('Encryption context must be a plain object of string values');
  }
  for (const key of Object.keys(context)) {
    const value = (context as Record<string, unknown>)[key];
    if (typeof value !== 'string') {
      // The key name is not a value, so it is safe (and useful) to name it.
      throw invalidArgument(`Encryption context value for "${safeKey(key)}" must be a string`, {
        key: safeKey(key),
      });
    }
    copy[key] = value;
  }
  return copy;
}

function safeKey(key: string): string {
  return key.length > 64 ? `${key.slice(0, 64)}…` : key;
}
