import { types } from 'node:util';
import { setOwn } from '@plinth/internal';
import { isAppError } from './is-app-error.js';
import { looksLikeCredential, sanitizeUrl } from './sanitize-strings.js';
import { scrubString } from './sanitize-text.js';
import { isSecretLike } from './secret-brand.js';
import type { SensitiveKeyMatcher } from './sensitive-keys.js';
import {
  CIRCULAR,
  MORE_KEYS,
  REDACTED,
  TRUNCATED,
  UNREADABLE,
  UNSERIALIZABLE,
} from './sentinels.js';
import { mayHoldSecret } from './text-triggers.js';

/** Everything the walker needs, after defaults (see `SanitizeOptions`). */
export interface WalkerConfig {
  readonly isSensitive: SensitiveKeyMatcher;
  readonly maxDepth: number;
  readonly maxArrayLength: number;
  readonly maxKeys: number;
  readonly maxStringLength: number;
  readonly includeStack: boolean;
  readonly scanStrings: boolean;
  readonly personalData: boolean;
  /** Copy-on-write: return the input (and unchanged parts of it) when nothing needs redacting. */
  readonly share: boolean;
}

type Out = Record<string, unknown>;

/** Extra characters scanned past a string cut, so a credential cut by the limit is still seen whole. */
const LOOKAHEAD = 256;
const SKIP_ERROR_KEYS = new Set(['name', 'message', 'stack', 'cause']);

function read(obj: object, key: PropertyKey): unknown {
  try {
    return (obj as Record<PropertyKey, unknown>)[key];
  } catch {
    return UNREADABLE;
  }
}

/** Own enumerable keys of `obj` that come before `stop` (all of them, up to `max`, without `stop`). */
function copyPrefix(obj: Out, stop: string | undefined, max: number): Out {
  const out: Out = {};
  let n = 0;
  for (const key in obj) {
    if (key === stop || n++ >= max) break;
    if (Object.hasOwn(obj, key)) setOwn(out, key, obj[key]);
  }
  return out;
}

/**
 * The one redaction walker behind `sanitize`, `createSanitizer` and the
 * `@plinth/logging` line formatter. It never throws and never mutates its input.
 */
export function createWalker(c: WalkerConfig): (value: unknown) => unknown {
  const { isSensitive, maxDepth, maxArrayLength, maxKeys, maxStringLength, share } = c;

  function text(s: string): string {
    const long = s.length > maxStringLength;
    let v = long ? s.slice(0, maxStringLength + LOOKAHEAD) : s;
    if (c.scanStrings && mayHoldSecret(v)) {
      if (looksLikeCredential(v)) return REDACTED;
      v = scrubString(v, isSensitive, c.personalData);
    }
    if (v.length <= maxStringLength) return v;
    const more = (long ? s.length : v.length) - maxStringLength;
    return `${v.slice(0, maxStringLength)}…[+${more} chars]`;
  }

  function field(key: string, item: unknown, depth: number, anc: object[]): unknown {
    if (isSensitive(key)) return item === undefined ? undefined : REDACTED;
    return value(item, depth, anc);
  }

  function value(v: unknown, depth: number, anc: object[]): unknown {
    if (typeof v === 'string') return text(v);
    if (typeof v !== 'object') return scalar(v);
    if (v === null) return v;
    const mark = anc.length;
    try {
      return object(v, depth, anc);
    } catch {
      // Hostile values (throwing Proxy traps, getters) must not break the caller.
      anc.length = mark;
      return UNSERIALIZABLE;
    }
  }

  function scalar(v: unknown): unknown {
    if (typeof v === 'bigint' || typeof v === 'symbol') return v.toString();
    if (typeof v !== 'function') return v;
    if (isSecretLike(v)) return REDACTED;
    const name = read(v, 'name');
    return `[Function${typeof name === 'string' && name ? ` ${name}` : ''}]`;
  }

  function object(v: object, depth: number, anc: object[]): unknown {
    const proto = Object.getPrototypeOf(v);
    const plain = proto === Object.prototype || proto === null;
    if (isSecretLike(v)) return REDACTED;
    if (!plain) {
      const leaf = leafOf(v);
      if (leaf !== undefined) return leaf;
    }
    if (anc.includes(v)) return CIRCULAR;
    if (depth >= maxDepth) return TRUNCATED;
    const toJSON = Array.isArray(v) ? undefined : (v as { toJSON?: unknown }).toJSON;
    anc.push(v);
    if (typeof toJSON === 'function' && (plain || !isError(v))) {
      // One level deeper, so a toJSON that returns a fresh object each time still ends.
      const out = value(toJSON.call(v), depth + 1, anc);
      anc.pop();
      return out;
    }
    const out = container(v, plain, depth, anc);
    anc.pop();
    return out;
  }

  function container(v: object, plain: boolean, depth: number, anc: object[]): unknown {
    if (Array.isArray(v)) return array(v, v.length, depth, anc);
    if (!plain) {
      if (isError(v)) return error(v as Error, depth, anc);
      if (v instanceof Map) return map(v, depth, anc);
      if (v instanceof Set) return array([...take(v, maxArrayLength)], v.size, depth, anc);
    }
    if (plain) {
      try {
        return plainObject(v as Out, depth, anc);
      } catch {
        // A getter threw: redo it key by key so one bad field does not hide the rest.
      }
    }
    return keyed(v, depth, anc);
  }

  function leafOf(v: object): unknown {
    if (v instanceof Date) {
      if (Number.isNaN(v.getTime())) return 'Invalid Date';
      return share ? v : v.toISOString();
    }
    if (v instanceof URL) return sanitizeUrl(v, isSensitive);
    if (v instanceof RegExp) return v.toString();
    if (ArrayBuffer.isView(v)) {
      const name = Buffer.isBuffer(v) ? 'Buffer' : v.constructor?.name || 'TypedArray';
      return `[${name} ${v.byteLength} bytes]`;
    }
    if (types.isAnyArrayBuffer(v)) return `[ArrayBuffer ${v.byteLength} bytes]`;
    return undefined;
  }

  /** Arrays, capped; `[name, value, name, value]` (rawHeaders) and `[name, value]` read as pairs. */
  function array(arr: readonly unknown[], size: number, depth: number, anc: object[]) {
    const n = Math.min(arr.length, maxArrayLength);
    const pairs = n >= 2 && n % 2 === 0 && typeof arr[0] === 'string' && namesAtEven(arr, n);
    let out: unknown[] | undefined = share ? undefined : [];
    for (let i = 0; i < n; i++) {
      const item = arr[i];
      const clean =
        pairs && i % 2 === 1
          ? field(arr[i - 1] as string, item, depth + 1, anc)
          : value(item, depth + 1, anc);
      if (out !== undefined) out.push(clean);
      else if (clean !== item) {
        out = arr.slice(0, i);
        out.push(clean);
      }
    }
    if (size > n) {
      out ??= arr.slice(0, n);
      out.push(`[… ${size - n} more items]`);
    }
    return out ?? arr;
  }

  function plainObject(obj: Out, depth: number, anc: object[]): Out {
    let out: Out | undefined = share ? undefined : {};
    let count = 0;
    let more = 0;
    for (const key in obj) {
      // Past the cap, count the rest in this same enumeration: a second one
      // (Object.keys) costs as much again on an object with a million keys.
      if (count === maxKeys) {
        if (Object.hasOwn(obj, key)) more++;
        continue;
      }
      count++;
      const item = obj[key];
      const clean = field(key, item, depth + 1, anc);
      if (out === undefined) {
        if (clean === item || !Object.hasOwn(obj, key)) continue;
        out = copyPrefix(obj, key, maxKeys);
      }
      if (Object.hasOwn(obj, key)) setOwn(out, key, clean);
    }
    if (more === 0) return out ?? obj;
    const result = out ?? copyPrefix(obj, undefined, maxKeys);
    setOwn(result, MORE_KEYS, `${more} more keys`);
    return result;
  }

  /** Class instances and objects with throwing getters: own enumerable keys, one read each. */
  function keyed(obj: object, depth: number, anc: object[]): unknown {
    const keys = Object.keys(obj);
    const n = Math.min(keys.length, maxKeys);
    let out: Out | undefined = share && keys.length <= n ? undefined : {};
    for (let i = 0; i < n; i++) {
      const key = keys[i] as string;
      const item = read(obj, key);
      const clean = item === UNREADABLE ? item : field(key, item, depth + 1, anc);
      if (out === undefined) {
        if (clean === item && item !== UNREADABLE) continue;
        out = {};
        for (const before of keys.slice(0, i)) setOwn(out, before, read(obj, before));
      }
      setOwn(out, key, clean);
    }
    if (out !== undefined && keys.length > n) {
      setOwn(out, MORE_KEYS, `${keys.length - n} more keys`);
    }
    return out ?? obj;
  }

  function map(m: Map<unknown, unknown>, depth: number, anc: object[]): unknown {
    const entries = [...take(m, maxArrayLength)];
    // Maps with string/number keys read best as objects; other keys keep [key, value] pairs.
    const byName = entries.every(([k]) => typeof k === 'string' || typeof k === 'number');
    const more = m.size - entries.length;
    if (!byName) {
      const pairs = entries.map(([k, v]) => [value(k, depth + 1, anc), value(v, depth + 1, anc)]);
      return more > 0 ? [...pairs, `[… ${more} more items]`] : pairs;
    }
    const out: Out = {};
    for (const [k, v] of entries) setOwn(out, String(k), field(String(k), v, depth + 1, anc));
    if (more > 0) setOwn(out, MORE_KEYS, `${more} more entries`);
    return out;
  }

  /** The shape an Error takes: `type`, `message`, own fields, `fingerprint`, `errors`, `stack`, `cause`. */
  function error(err: Error, depth: number, anc: object[]): Out {
    const raw = read(err, 'message');
    const message = typeof raw === 'string' ? raw : String(raw ?? '');
    const clean = text(message);
    const name = read(err, 'name');
    const out: Out = {
      type: typeof name === 'string' && name ? name : err.constructor?.name || 'Error',
      message: clean,
    };
    for (const key of Object.keys(err).slice(0, maxKeys)) {
      if (!SKIP_ERROR_KEYS.has(key)) setOwn(out, key, field(key, read(err, key), depth + 1, anc));
    }
    if (isAppError(err)) out.fingerprint = String(read(err, 'fingerprint'));
    const members = read(err, 'errors');
    if (Array.isArray(members) && !Object.hasOwn(out, 'errors')) {
      out.errors = value(members, depth + 1, anc);
    }
    const stack = c.includeStack ? read(err, 'stack') : undefined;
    if (typeof stack === 'string') {
      // The stack repeats the raw message: replace it with the scrubbed one first.
      out.stack = text(clean === message || !message ? stack : stack.split(message).join(clean));
    }
    const cause = 'cause' in err ? read(err, 'cause') : undefined;
    if (cause !== undefined) out.cause = value(cause, depth + 1, anc);
    return out;
  }

  return (v) => value(v, 0, []);
}

function isError(v: object): boolean {
  return v instanceof Error || types.isNativeError(v);
}

function namesAtEven(arr: readonly unknown[], n: number): boolean {
  for (let i = 0; i < n; i += 2) if (typeof arr[i] !== 'string') return false;
  return true;
}

function* take<T>(items: Iterable<T>, max: number): Generator<T> {
  let n = 0;
  for (const item of items) {
    if (n++ >= max) return;
    yield item;
  }
}
