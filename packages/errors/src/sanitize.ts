import { invalidOptions, requireOptionsObject } from './options-error.js';
import {
  checkKeyOptions,
  createSensitiveKeyMatcher,
  isSensitiveKey,
  type SensitiveKeyMatcher,
  type SensitiveKeyOptions,
} from './sensitive-keys.js';
import { createWalker } from './walker.js';

/** What `sanitize` returns: plain JSON-compatible data (plus `undefined` in objects). */
export type Sanitized =
  | null
  | undefined
  | boolean
  | number
  | string
  | Sanitized[]
  | { [key: string]: Sanitized };

/** Options for `sanitize` / `createSanitizer`. Every default is listed here. */
export interface SanitizeOptions extends SensitiveKeyOptions {
  /** A ready-made key matcher; when set, `keys`, `replaceDefaults` and `personalData` only affect strings. */
  matcher?: SensitiveKeyMatcher;
  /** Container levels kept below the root; deeper containers become `'[Truncated]'`. Default 10. */
  maxDepth?: number;
  /** Items kept per array, Set or Map; the rest is summarised as `'[… n more items]'`. Default 1000. */
  maxArrayLength?: number;
  /** Keys kept per object; the rest is summarised under the key `'[…]'`. Default 1000. */
  maxKeys?: number;
  /** Characters kept per string (cut before it is scanned); longer strings end in `'…[+n chars]'`. Default 32768. */
  maxStringLength?: number;
  /** Keep `stack` on Error values. Default false. */
  includeStack?: boolean;
  /** Redact secrets found by shape inside strings (credentials, sensitive `key=value` pairs, and unless `personalData: false`, card numbers and IBANs). Default true. */
  scanStrings?: boolean;
  /**
   * Copy-on-write: return `value` itself, and the unchanged parts of it,
   * when nothing in them needs redacting (valid Dates are kept as Dates).
   * The result may share objects with the input: never mutate it. For hot
   * paths such as log serializers. Default false (a full copy).
   */
  shareUnchanged?: boolean;
}

function limit(name: string, value: unknown, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value === 'number' && value >= 0 && (Number.isInteger(value) || value === Infinity)) {
    return value;
  }
  throw invalidOptions('createSanitizer', [
    { path: name, message: 'must be a non-negative integer or Infinity' },
  ]);
}

/**
 * Build a reusable sanitizer (the key matcher and its cache are built once;
 * use this on hot paths such as log serializers). Throws an `OptionsError`
 * (code `INVALID_OPTIONS`) for a negative or non-integer limit, or a `keys`
 * that is not an array of non-empty strings and RegExps (a string is refused,
 * not split into characters: write `keys: ['ssn']`).
 *
 * @example
 * ```ts
 * import { createSanitizer } from '@plinth/errors';
 *
 * const clean = createSanitizer({ keys: ['nickname'], maxDepth: 5 });
 * clean({ user: { nickname: 'ann' } }); // { user: { nickname: '[redacted]' } }
 * ```
 */
export function createSanitizer(options: SanitizeOptions = {}): (value: unknown) => Sanitized {
  const o = requireOptionsObject(options ?? {}, 'createSanitizer');
  checkKeyOptions(o, 'createSanitizer');
  const isSensitive =
    typeof o.matcher === 'function'
      ? o.matcher
      : o.keys || o.replaceDefaults || o.personalData === false
        ? createSensitiveKeyMatcher(o)
        : isSensitiveKey;
  return createWalker({
    isSensitive,
    maxDepth: limit('maxDepth', o.maxDepth, 10),
    maxArrayLength: limit('maxArrayLength', o.maxArrayLength, 1000),
    maxKeys: limit('maxKeys', o.maxKeys, 1000),
    maxStringLength: limit('maxStringLength', o.maxStringLength, 32_768),
    includeStack: o.includeStack === true,
    scanStrings: o.scanStrings !== false,
    personalData: o.personalData !== false && o.replaceDefaults !== true,
    share: o.shareUnchanged === true,
  }) as (value: unknown) => Sanitized;
}

const defaultSanitizer = createSanitizer();

/**
 * Deep copy of `value` that is safe to log or return: values under sensitive
 * keys (credentials such as `Authorization`, `x-api-key`, `client_secret`,
 * `encryptionKey`, and personal data such as `email`, `phone`,
 * `dateOfBirth`; any depth, any spelling) become `'[redacted]'`, as do
 * `Secret` values and secrets found inside strings; `[name, value]` pair
 * arrays (`rawHeaders`) are read as pairs; cycles become `'[Circular]'`;
 * containers deeper than `maxDepth` become `'[Truncated]'`; very wide
 * objects, long arrays and long strings are cut; Dates become ISO strings,
 * buffers a byte count, Errors `{ type, message, … }`. Never mutates
 * `value`, never throws on odd input (only on invalid options). Full rules:
 * docs/packages/errors.md.
 *
 * @example
 * ```ts
 * import { sanitize } from '@plinth/errors';
 *
 * sanitize({ user: 'ann', headers: { Authorization: 'Bearer abc' } });
 * // { user: 'ann', headers: { Authorization: '[redacted]' } }
 * ```
 */
export function sanitize(value: unknown, options?: SanitizeOptions): Sanitized {
  return options === undefined ? defaultSanitizer(value) : createSanitizer(options)(value);
}
