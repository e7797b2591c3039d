import { isWellFormedString } from './encoding.js';
import { errorName, invalidArgument } from './errors.js';

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
 * message, which may quote data. `wellFormed` also refuses lone surrogates
 * (envelope headers store the context as UTF-8).
 */
export function readContext(context: unknown, wellFormed = false): Record<string, string> {
  const copy: Record<string, string> = Object.create(null);
  if (context === undefined) return copy;
  let entries: [string, unknown][] | undefined;
  try {
    const plain = context !== null && typeof context === 'object' && !Array.isArray(context);
    entries = plain ? Object.entries(context) : undefined;
  } catch (err) {
    throw invalidArgument(
      'Encryption context could not be read (a getter or Proxy threw; its error is withheld)',
      { errorName: errorName(err) },
    );
  }
  if (entries === undefined) {
    throw invalidArgument('Encryption context must be a plain object of string values');
  }
  for (const [key, value] of entries) {
    // The key name is not a value, so it is safe (and useful) to name it.
    const name = key.length > 64 ? `${key.slice(0, 64)}…` : key;
    if (typeof value !== 'string') {
      throw invalidArgument(`Encryption context value for "${name}" must be a string`, {
        key: name,
      });
    }
    if (wellFormed && !(isWellFormedString(key) && isWellFormedString(value))) {
      throw invalidArgument('Encryption context has a lone surrogate (not valid Unicode)');
    }
    copy[key] = value;
  }
  return copy;
}
