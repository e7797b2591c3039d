import { types } from 'node:util';
import { InternalError } from './http-errors.js';
import { isAppError } from './is-app-error.js';
import { looksLikeCredential, sanitizeUrl } from './sanitize-strings.js';
import { scrubString } from './sanitize-text.js';
import { isSecretLike } from './secret-brand.js';
import {
  createSensitiveKeyMatcher,
  isSensitiveKey,
  REDACTED,
  type SensitiveKeyMatcher,
  type SensitiveKeyOptions,
} from './sensitive-keys.js';

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
  /** A ready-made key matcher; when set, `keys` and `replaceDefaults` are ignored. */
  matcher?: SensitiveKeyMatcher;
  /** Container levels kept below the root; deeper containers become `'[Truncated]'`. Default 10. */
  maxDepth?: number;
  /** Items kept per array, Set or Map; the rest is summarised as `'[… n more items]'`. Default 1000. */
  maxArrayLength?: number;
  /** Characters kept per string; longer strings end in `'…[+n chars]'`. Default: no limit. */
  maxStringLength?: number;
  /** Keep `stack` on Error values. Default false. */
  includeStack?: boolean;
  /** Redact credentials found by shape in string values (URL userinfo, sensitive query params, JWTs, `Bearer …`, cloud/API tokens, private-key PEM blocks, `password=…` pairs). Default true. */
  scanStrings?: boolean;
}

/**
 * Replaces a reference back to an object that is being copied.
 *
 * @example
 * ```ts
 * import { CIRCULAR, sanitize } from '@plinth/errors';
 *
 * const node: Record<string, unknown> = {};
 * node.self = node;
 * sanitize(node); // { self: CIRCULAR }
 * ```
 */
export const CIRCULAR = '[Circular]';
/**
 * Replaces a container nested deeper than `maxDepth`.
 *
 * @example
 * ```ts
 * import { sanitize, TRUNCATED } from '@plinth/errors';
 *
 * sanitize({ a: { b: {} } }, { maxDepth: 2 }); // { a: { b: TRUNCATED } }
 * ```
 */
export const TRUNCATED = '[Truncated]';

interface Walker {
  readonly isSensitive: SensitiveKeyMatcher;
  readonly maxDepth: number;
  readonly maxArrayLength: number;
  readonly maxStringLength: number;
  readonly includeStack: boolean;
  readonly scanStrings: boolean;
}

function limit(name: string, value: unknown, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value === 'number' && value >= 0 && (Number.isInteger(value) || value === Infinity)) {
    return value;
  }
  throw new InternalError(`sanitize option ${name} must be a non-negative integer or Infinity`, {
    code: 'INVALID_OPTION',
  });
}

function setKey(out: Record<string, Sanitized>, key: string, value: Sanitized): void {
  // Plain assignment of `__proto__` would change the prototype instead of adding a key.
  if (key === '__proto__') {
    Object.defineProperty(out, key, {
      value,
      enumerable: true,
      writable: true,
      configurable: true,
    });
  } else out[key] = value;
}

function string(w: Walker, value: string): string {
  let s = value;
  if (w.scanStrings) {
    if (looksLikeCredential(s)) return REDACTED;
    s = scrubString(s, w.isSensitive);
  }
  if (s.length > w.maxStringLength) {
    s = `${s.slice(0, w.maxStringLength)}…[+${s.length - w.maxStringLength} chars]`;
  }
  return s;
}

function read(obj: object, key: PropertyKey): unknown {
  try {
    return (obj as Record<PropertyKey, unknown>)[key];
  } catch {
    return '[Unreadable]';
  }
}

function entries(w: Walker, obj: object, depth: number, seen: Set<object>, into = {}) {
  const out: Record<string, Sanitized> = into;
  for (const key of Object.keys(obj)) {
    setKey(out, key, w.isSensitive(key) ? REDACTED : walk(w, read(obj, key), depth, seen));
  }
  return out;
}

function list(w: Walker, items: Iterable<unknown>, size: number, depth: number, seen: Set<object>) {
  const out: Sanitized[] = [];
  for (const item of items) {
    if (out.length >= w.maxArrayLength) break;
    out.push(walk(w, item, depth, seen));
  }
  if (size > out.length) out.push(`[… ${size - out.length} more items]`);
  return out;
}

function error(w: Walker, err: Error, depth: number, seen: Set<object>) {
  const out: Record<string, Sanitized> = {
    name: string(w, String(read(err, 'name') ?? 'Error')),
    message: string(w, String(read(err, 'message') ?? '')),
  };
  entries(w, err, depth, seen, out);
  if (isAppError(err)) out.fingerprint = String(read(err, 'fingerprint'));
  const aggregate = read(err, 'errors');
  if (Array.isArray(aggregate) && !('errors' in out)) {
    out.errors = list(w, aggregate, aggregate.length, depth, seen);
  }
  if ('cause' in err && !('cause' in out)) out.cause = walk(w, read(err, 'cause'), depth, seen);
  if (w.includeStack) out.stack = string(w, String(read(err, 'stack') ?? ''));
  else delete out.stack;
  return out;
}

function map(w: Walker, value: Map<unknown, unknown>, depth: number, seen: Set<object>): Sanitized {
  const keyed = [...value.keys()].every((k) => typeof k === 'string' || typeof k === 'number');
  const out: Record<string, Sanitized> = {};
  const pairs: Sanitized[] = [];
  let kept = 0;
  for (const [k, v] of value) {
    if (kept++ >= w.maxArrayLength) break;
    const sensitive = typeof k === 'string' && w.isSensitive(k);
    const clean = sensitive ? REDACTED : walk(w, v, depth, seen);
    // Maps with string/number keys read best as objects; other keys keep [key, value] pairs.
    if (keyed) setKey(out, String(k), clean);
    else pairs.push([walk(w, k, depth, seen), clean]);
  }
  const more = value.size - w.maxArrayLength;
  if (more > 0) {
    if (keyed) setKey(out, '[…]', `${more} more entries`);
    else pairs.push(`[… ${more} more items]`);
  }
  return keyed ? out : pairs;
}

function container(w: Walker, value: object, depth: number, seen: Set<object>): Sanitized {
  if (Array.isArray(value)) return list(w, value, value.length, depth, seen);
  if (value instanceof Map) return map(w, value, depth, seen);
  if (value instanceof Set) return list(w, value, value.size, depth, seen);
  if (value instanceof Error || types.isNativeError(value))
    return error(w, value as Error, depth, seen);
  const toJSON = read(value, 'toJSON');
  if (typeof toJSON === 'function') {
    try {
      return walk(w, toJSON.call(value), depth, seen);
    } catch {
      return '[Unserializable]';
    }
  }
  return entries(w, value, depth, seen);
}

function walk(w: Walker, value: unknown, parentDepth: number, seen: Set<object>): Sanitized {
  switch (typeof value) {
    case 'string':
      return string(w, value);
    case 'number':
    case 'boolean':
    case 'undefined':
      return value;
    case 'bigint':
      return value.toString();
    case 'symbol':
      return value.toString();
    case 'function':
      return isSecretLike(value) ? REDACTED : `[Function${value.name ? ` ${value.name}` : ''}]`;
  }
  if (value === null) return null;
  const obj = value as object;
  let added = false;
  try {
    if (isSecretLike(obj)) return REDACTED;
    if (seen.has(obj)) return CIRCULAR;
    const leaf = leafObject(w, obj);
    if (leaf !== undefined) return leaf;
    const depth = parentDepth + 1;
    if (depth > w.maxDepth) return TRUNCATED;
    seen.add(obj);
    added = true;
    return container(w, obj, depth, seen);
  } catch {
    // Hostile values (throwing Proxy traps, getters) must not make sanitize throw.
    return '[Unserializable]';
  } finally {
    if (added) seen.delete(obj);
  }
}

/** Objects that become a single string, whatever their depth. */
function leafObject(w: Walker, obj: object): string | undefined {
  if (obj instanceof Date) return Number.isNaN(obj.getTime()) ? 'Invalid Date' : obj.toISOString();
  if (obj instanceof URL) return sanitizeUrl(obj, w.isSensitive);
  if (obj instanceof RegExp) return obj.toString();
  if (ArrayBuffer.isView(obj)) {
    const name = Buffer.isBuffer(obj) ? 'Buffer' : obj.constructor?.name || 'TypedArray';
    return `[${name} ${obj.byteLength} bytes]`;
  }
  if (types.isAnyArrayBuffer(obj)) return `[ArrayBuffer ${obj.byteLength} bytes]`;
  return undefined;
}

/**
 * Build a reusable sanitizer (the key matcher and its cache are built once;
 * use this on hot paths such as log serializers). Throws an `InternalError`
 * (code `INVALID_OPTION`) for a negative or non-integer limit.
 *
 * @example
 * ```ts
 * import { createSanitizer } from '@plinth/errors';
 *
 * const clean = createSanitizer({ keys: ['dateOfBirth'], maxDepth: 5 });
 * clean({ user: { dateOfBirth: '1990-01-01' } }); // { user: { dateOfBirth: '[redacted]' } }
 * ```
 */
export function createSanitizer(options: SanitizeOptions = {}): (value: unknown) => Sanitized {
  const o = options ?? {};
  const w: Walker = {
    isSensitive:
      typeof o.matcher === 'function'
        ? o.matcher
        : o.keys || o.replaceDefaults
          ? createSensitiveKeyMatcher(o)
          : isSensitiveKey,
    maxDepth: limit('maxDepth', o.maxDepth, 10),
    maxArrayLength: limit('maxArrayLength', o.maxArrayLength, 1000),
    maxStringLength: limit('maxStringLength', o.maxStringLength, Infinity),
    includeStack: o.includeStack === true,
    scanStrings: o.scanStrings !== false,
  };
  return (value) => walk(w, value, 0, new Set());
}

const defaultSanitizer = createSanitizer();

/**
 * Deep copy of `value` that is safe to log or return: values under sensitive
 * keys (case-insensitive, any depth: `Authorization`, `x-api-key`,
 * `client_secret`, `refreshToken`…) become `'[redacted]'`, as do `Secret`
 * values; cycles become `'[Circular]'`; containers deeper than `maxDepth`
 * become `'[Truncated]'`; Dates become ISO strings, buffers a byte count,
 * Errors plain objects. Never mutates `value`, never throws on odd input
 * (only on invalid options). Full rules: docs/packages/errors.md.
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
