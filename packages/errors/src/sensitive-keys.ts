/**
 * The value that replaces anything redacted, everywhere in Plinth.
 *
 * @example
 * ```ts
 * import { REDACTED, sanitize } from '@plinth/errors';
 *
 * sanitize({ password: 'x' }); // { password: REDACTED }
 * ```
 */
export const REDACTED = '[redacted]';

/**
 * Key fragments that mark a value as sensitive wherever they appear in a key,
 * after lower-casing and removing `-`, `_`, `.` and spaces (so `client_secret`,
 * `x-api-key`, `refreshToken` and `Authorization` all match).
 *
 * @example
 * ```ts
 * import { createSensitiveKeyMatcher, DEFAULT_SENSITIVE_KEY_FRAGMENTS } from '@plinth/errors';
 *
 * const matcher = createSensitiveKeyMatcher({
 *   keys: DEFAULT_SENSITIVE_KEY_FRAGMENTS.filter((k) => k !== 'session'),
 *   replaceDefaults: true,
 * });
 * ```
 */
export const DEFAULT_SENSITIVE_KEY_FRAGMENTS: readonly string[] = Object.freeze([
  'password',
  'passwd',
  'passphrase',
  'secret',
  'token',
  'authorization',
  'cookie',
  'apikey',
  'privatekey',
  'credential',
  'session',
  'cardnumber',
  'creditcard',
  'securitycode',
  'signature',
]);

/**
 * Short keys that are sensitive only as a whole key (a fragment match would hit `classname`).
 *
 * @example
 * ```ts
 * import { DEFAULT_SENSITIVE_KEYS } from '@plinth/errors';
 *
 * DEFAULT_SENSITIVE_KEYS.includes('ssn'); // true
 * ```
 */
export const DEFAULT_SENSITIVE_KEYS: readonly string[] = Object.freeze([
  'ssn',
  'pin',
  'cvv',
  'cvc',
  'pan',
  'otp',
  'pwd',
  'auth',
  'jwt',
  'iban',
  'dsn',
]);

/** How to decide which keys are sensitive. */
export interface SensitiveKeyOptions {
  /** Extra key names or fragments (normalised like the defaults) or patterns tested on the raw key. */
  keys?: ReadonlyArray<string | RegExp>;
  /** Replace the defaults instead of adding to them. */
  replaceDefaults?: boolean;
}

/** A predicate deciding whether a property name holds a sensitive value. */
export type SensitiveKeyMatcher = (key: string) => boolean;

const normalise = (key: string) => key.toLowerCase().replace(/[-_.\s]/g, '');
const CACHE_LIMIT = 10_000;

/**
 * Build a key matcher. Results are cached per key (bounded), so matching the
 * same field names on every log line is a map lookup.
 *
 * @example
 * ```ts
 * import { createSensitiveKeyMatcher } from '@plinth/errors';
 *
 * const isSensitive = createSensitiveKeyMatcher({ keys: ['dateOfBirth'] });
 * isSensitive('x-api-key'); // true
 * ```
 */
export function createSensitiveKeyMatcher(options: SensitiveKeyOptions = {}): SensitiveKeyMatcher {
  const fragments: string[] = options.replaceDefaults ? [] : [...DEFAULT_SENSITIVE_KEY_FRAGMENTS];
  const exact = new Set<string>(options.replaceDefaults ? [] : DEFAULT_SENSITIVE_KEYS);
  const patterns: RegExp[] = [];
  for (const key of options.keys ?? []) {
    if (key instanceof RegExp) patterns.push(key);
    else if (typeof key === 'string' && key.length > 0) {
      const n = normalise(key);
      if (n.length <= 4) exact.add(n);
      else fragments.push(n);
    }
  }
  const cache = new Map<string, boolean>();
  return (key: string): boolean => {
    const hit = cache.get(key);
    if (hit !== undefined) return hit;
    const n = normalise(key);
    let result = exact.has(n) || fragments.some((f) => n.includes(f));
    if (!result)
      result = patterns.some((p) => {
        p.lastIndex = 0;
        return p.test(key);
      });
    if (cache.size >= CACHE_LIMIT) cache.clear();
    cache.set(key, result);
    return result;
  };
}

/**
 * The default matcher (see `DEFAULT_SENSITIVE_KEY_FRAGMENTS` and `DEFAULT_SENSITIVE_KEYS`).
 *
 * @example
 * ```ts
 * import { isSensitiveKey } from '@plinth/errors';
 *
 * isSensitiveKey('X-Api-Key'); // true
 * isSensitiveKey('className'); // false
 * ```
 */
export const isSensitiveKey: SensitiveKeyMatcher = createSensitiveKeyMatcher();
