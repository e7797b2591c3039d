import { types } from 'node:util';
import {
  createSanitizer,
  createSensitiveKeyMatcher,
  isSecretLike,
  isSensitiveKey,
  REDACTED,
  type SensitiveKeyMatcher,
} from '@plinth/errors';
import { serializeError } from './serialize-error.js';

const KEY_CACHE_LIMIT = 10_000;

/**
 * Cheap pre-check before the `@plinth/errors` string scanner (no allocation;
 * most log strings skip the scan). Every shape the scanner removes needs one
 * of: a `:` or `=` right after a word, quote, `.` or `-` (URLs, `key=value`,
 * `key: value`, `"key": …`, query strings); `Bearer `/`Basic `/`Token ` (as
 * written, lower-case or upper-case); a PEM header; or a token prefix (`eyJ`,
 * `AKIA`, `ASIA`, `AIza`, `sk_`, `rk_`, `ghp_`…, `github_pat_`, `xoxb-`…).
 */
const TOKEN_TRIGGER =
  /[Bb](?:earer|asic)\s|B(?:EARER|ASIC)\s|[Tt]oken\s|TOKEN\s|-----BEGIN|eyJ|A(?:KIA|SIA|Iza)|[sr]k_|gh[pousr]_|github_pat_|xox[abprs]-/;

/** A word character, quote, `.` or `-`: what can end a key before `:` / `=`. */
function endsKey(code: number): boolean {
  return (
    (code >= 0x30 && code <= 0x39) || // 0-9
    (code >= 0x41 && code <= 0x5a) || // A-Z
    (code >= 0x61 && code <= 0x7a) || // a-z
    code === 0x5f || // _
    code === 0x22 || // "
    code === 0x27 || // '
    code === 0x2e || // .
    code === 0x2d // -
  );
}

function separatorAfterKey(value: string, separator: string): boolean {
  for (let i = value.indexOf(separator); i > 0; i = value.indexOf(separator, i + 1)) {
    let j = i - 1;
    // The scanner allows up to 8 spaces or tabs between key and separator.
    for (let n = 0; n < 8 && j > 0 && (value[j] === ' ' || value[j] === '\t'); n++) j--;
    if (endsKey(value.charCodeAt(j))) return true;
  }
  return false;
}

// Log strings recur (messages, routes, user agents): remember the decision
// for short ones. Bounded; only the yes/no is derived from the string.
const TRIGGER_CACHE_LIMIT = 1000;
const TRIGGER_CACHE_MAX_LENGTH = 128;
const triggerCache = new Map<string, boolean>();

function scanTriggers(value: string): boolean {
  return (
    separatorAfterKey(value, ':') || separatorAfterKey(value, '=') || TOKEN_TRIGGER.test(value)
  );
}

/** @internal True when `value` may hold a credential the string scanner would remove. */
export function mayHoldCredential(value: string): boolean {
  if (value.length < 5) return false;
  if (value.length > TRIGGER_CACHE_MAX_LENGTH) return scanTriggers(value);
  let hit = triggerCache.get(value);
  if (hit === undefined) {
    hit = scanTriggers(value);
    if (triggerCache.size >= TRIGGER_CACHE_LIMIT) triggerCache.clear();
    triggerCache.set(value, hit);
  }
  return hit;
}

/**
 * Replaces a reference back to an object that is being written.
 *
 * @example
 * ```ts
 * import { CIRCULAR, createLogSerializer } from '@plinth/logging';
 *
 * const a: Record<string, unknown> = {};
 * a.self = a;
 * createLogSerializer()(a); // { self: CIRCULAR }
 * ```
 */
export const CIRCULAR = '[Circular]';

/**
 * Replaces a container nested deeper than `redact.maxDepth` (default 10).
 *
 * @example
 * ```ts
 * import { createLogSerializer, TRUNCATED } from '@plinth/logging';
 *
 * createLogSerializer({ maxDepth: 1 })({ a: { b: 1 } }); // { a: TRUNCATED }
 * ```
 */
export const TRUNCATED = '[Truncated]';

/** How log objects are redacted. Every default is listed here. */
export interface RedactOptions {
  /** Extra sensitive key names or fragments, or patterns tested on the raw key. Default none. */
  keys?: ReadonlyArray<string | RegExp>;
  /** Use only `keys`, not the `@plinth/errors` defaults. Default false. */
  replaceDefaults?: boolean;
  /** Exact pino redaction paths (`'req.body.note'`, `'*.ssn'`), applied on top. Default none. */
  paths?: readonly string[];
  /** Container levels kept below a log object; deeper ones become `'[Truncated]'`. Default 10. */
  maxDepth?: number;
}

/** One redaction pass; returns the value itself when nothing needed changing. */
export type Redactor = (value: unknown) => unknown;

/** @internal The redaction passes the logger uses. */
export interface Redaction {
  /** Redact any value (copy-on-write). */
  value: Redactor;
  /**
   * Redact the top-level fields of a log object the way pino reads them (own
   * enumerable keys, no `toJSON`). With `into`, every field is written into
   * it (caller fields win over what `into` holds); without, the object is
   * copied only if something changed.
   */
  fields(obj: object, into?: Record<string, unknown>): Record<string, unknown>;
  /** Redact credentials found by shape inside free text (messages, error messages). */
  text(value: string): string;
}

/** @internal Walk state shared with the error serializer. */
export interface Walk {
  readonly isSensitive: SensitiveKeyMatcher;
  readonly maxDepth: number;
  value(value: unknown, depth: number, ancestors: object[]): unknown;
  /** `@plinth/errors` `sanitize` with the same matcher (also scrubs credentials inside strings). */
  sanitize(value: unknown): unknown;
}

function setKey(out: Record<string, unknown>, key: string, value: unknown) {
  if (key === '__proto__') {
    Object.defineProperty(out, key, {
      value,
      enumerable: true,
      writable: true,
      configurable: true,
    });
  } else out[key] = value;
}

const UNREADABLE = Symbol('unreadable');

function read(obj: object, key: string): unknown {
  try {
    return (obj as Record<string, unknown>)[key];
  } catch {
    return UNREADABLE;
  }
}

/** Own enumerable fields; a getter that throws becomes `'[Unreadable]'`. */
function copyOf(obj: object): Record<string, unknown> {
  try {
    return { ...obj } as Record<string, unknown>; // native fast path
  } catch {
    return copySlowly(obj);
  }
}

function copySlowly(obj: object): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(obj)) {
    const value = read(obj, key);
    setKey(out, key, value === UNREADABLE ? '[Unreadable]' : value);
  }
  return out;
}

function cleanField(
  isSensitive: SensitiveKeyMatcher,
  walkValue: Walk['value'],
  key: string,
  item: unknown,
  depth: number,
  ancestors: object[],
): unknown {
  if (item === UNREADABLE) return '[Unreadable]';
  if (isSensitive(key)) return item === undefined ? undefined : REDACTED;
  return walkValue(item, depth, ancestors);
}

/**
 * Build the redaction pass used by the logger. It is copy-on-write: objects
 * and arrays are only copied along the path to something that changes
 * (a sensitive key, a `Secret`, an Error, a cycle, too much depth), so a log
 * line without secrets costs one walk and no allocation.
 */
export function createRedaction(options: RedactOptions = {}): Redaction {
  const matcher =
    options.keys?.length || options.replaceDefaults
      ? createSensitiveKeyMatcher({
          keys: options.keys ?? [],
          replaceDefaults: options.replaceDefaults ?? false,
        })
      : isSensitiveKey;
  // A local decision cache: the same few field names recur on every line, and
  // a Map lookup in this module inlines better than a call into the matcher.
  const decided = new Map<string, boolean>();
  const isSensitive = (key: string): boolean => {
    let sensitive = decided.get(key);
    if (sensitive === undefined) {
      sensitive = matcher(key);
      if (decided.size >= KEY_CACHE_LIMIT) decided.clear();
      decided.set(key, sensitive);
    }
    return sensitive;
  };
  const maxDepth = options.maxDepth ?? 10;
  const w: Walk = {
    isSensitive,
    maxDepth,
    value: walkValue,
    sanitize: createSanitizer({ matcher: isSensitive, maxDepth }),
  };

  function walkValue(value: unknown, depth: number, ancestors: object[]): unknown {
    if (typeof value === 'string') return mayHoldCredential(value) ? w.sanitize(value) : value;
    if (value === null || typeof value !== 'object') {
      return typeof value === 'function' && isSecretLike(value) ? REDACTED : value;
    }
    const mark = ancestors.length;
    try {
      return walkObjectLike(value, depth, ancestors);
    } catch {
      // Hostile values (Proxy traps, throwing getters) must not break the log call.
      return '[Unserializable]';
    } finally {
      ancestors.length = mark;
    }
  }

  function walkObjectLike(value: object, depth: number, ancestors: object[]): unknown {
    if (isSecretLike(value)) return REDACTED;
    if (value instanceof Date) return value;
    // Bytes are never written (a Buffer's toJSON would print every byte);
    // Map and Set would print as `{}`: both read as `sanitize` shows them.
    if (ArrayBuffer.isView(value) || types.isAnyArrayBuffer(value)) return w.sanitize(value);
    if (ancestors.includes(value)) return CIRCULAR;
    if (value instanceof Map || value instanceof Set) {
      return depth >= w.maxDepth ? TRUNCATED : w.sanitize(value);
    }
    if (depth >= w.maxDepth) return TRUNCATED;
    if (value instanceof Error) return serializeError(value, w, depth, ancestors);
    ancestors.push(value);
    return Array.isArray(value)
      ? walkArray(value, depth, ancestors)
      : walkObject(value, depth, ancestors);
  }

  function walkArray(arr: unknown[], depth: number, ancestors: object[]): unknown[] {
    let out: unknown[] | undefined;
    for (let i = 0; i < arr.length; i++) {
      const item = arr[i];
      const clean = walkValue(item, depth + 1, ancestors);
      if (clean !== item) {
        out ??= arr.slice();
        out[i] = clean;
      }
    }
    return out ?? arr;
  }

  function walkObject(obj: object, depth: number, ancestors: object[]): unknown {
    const toJSON = (obj as { toJSON?: unknown }).toJSON;
    // JSON.stringify would call toJSON; redact what it would print.
    if (typeof toJSON === 'function') return walkValue(toJSON.call(obj), depth, ancestors);
    const proto = Object.getPrototypeOf(obj);
    if (proto === Object.prototype || proto === null) {
      try {
        return walkPlain(obj as Record<string, unknown>, depth, ancestors);
      } catch {
        // A getter threw: redo it key by key so one bad field does not hide the rest.
      }
    }
    return walkKeys(obj, depth, ancestors);
  }

  /**
   * Plain objects: `for...in` with `obj[key]` lets V8 use the enum cache
   * (no key array, no megamorphic lookups) — the common case on the hot path.
   * Plain objects have no inherited enumerable keys unless Object.prototype
   * is polluted, hence the `Object.hasOwn` check only when a key is unusual.
   */
  function walkPlain(obj: Record<string, unknown>, depth: number, ancestors: object[]): unknown {
    let out: Record<string, unknown> | undefined;
    for (const key in obj) {
      const item = obj[key];
      const clean = isSensitive(key)
        ? item === undefined
          ? undefined
          : REDACTED
        : walkValue(item, depth + 1, ancestors);
      if (clean !== item) {
        if (!Object.hasOwn(obj, key)) continue;
        out ??= { ...obj };
        setKey(out, key, clean);
      }
    }
    return out ?? obj;
  }

  function walkKeys(obj: object, depth: number, ancestors: object[]): unknown {
    let out: Record<string, unknown> | undefined;
    for (const key of Object.keys(obj)) {
      const item = read(obj, key);
      const clean = cleanField(isSensitive, walkValue, key, item, depth + 1, ancestors);
      if (clean !== item) {
        out ??= copyOf(obj);
        setKey(out, key, clean);
      }
    }
    return out ?? obj;
  }

  function fields(obj: object, into?: Record<string, unknown>): Record<string, unknown> {
    try {
      return fieldsOf(obj, into);
    } catch {
      // Only a hostile top-level object (a Proxy whose traps throw) gets here.
      return { ...into, value: '[Unserializable]' };
    }
  }

  function fieldsOf(obj: object, into?: Record<string, unknown>): Record<string, unknown> {
    if (isSecretLike(obj)) return { ...into, value: REDACTED };
    const ancestors: object[] = [obj];
    const proto = Object.getPrototypeOf(obj);
    if ((proto === Object.prototype || proto === null) && !Object.hasOwn(obj, '__proto__')) {
      try {
        if (into === undefined) {
          return walkPlain(obj as Record<string, unknown>, 0, ancestors) as Record<string, unknown>;
        }
        // Native copy of the caller's fields over the context's, then fix up
        // only what redaction changes: no second copy of the object.
        Object.assign(into, obj);
        redactInto(obj as Record<string, unknown>, into, ancestors);
        return into;
      } catch {
        // A getter threw: fall through to the key-by-key walk.
      }
    }
    const result = walkKeys(obj, 0, ancestors) as Record<string, unknown>;
    if (into === undefined) return result;
    for (const key of Object.keys(result)) setKey(into, key, result[key]);
    return into;
  }

  function redactInto(
    obj: Record<string, unknown>,
    into: Record<string, unknown>,
    ancestors: object[],
  ) {
    for (const key in obj) {
      const item = obj[key];
      const clean = isSensitive(key)
        ? item === undefined
          ? undefined
          : REDACTED
        : walkValue(item, 1, ancestors);
      if (clean !== item && Object.hasOwn(obj, key)) into[key] = clean;
    }
  }

  return {
    value: (value) => walkValue(value, 0, []),
    fields,
    text: (value) => (mayHoldCredential(value) ? (w.sanitize(value) as string) : value),
  };
}
