import { deepFreeze, setOwn } from '@plinth/internal';

const MAX_DEPTH = 16;
const SAFE_KEY = /^[A-Za-z0-9_.:-]{1,64}$/;

/**
 * Copy claims as JSON data and deep-freeze the copy, so nothing reachable from
 * a context can change. A Date, Map, Set, typed array or other class instance
 * (and a function, symbol or bigint) cannot be frozen in place and cannot come
 * from a token, so each one is reported in `bad` as `principal.claims.<key>`
 * (top-level key only, and only when it is a plain name: keys are token data).
 * Cycles and nesting deeper than 16 are cut with `'[circular]'` / `'[depth]'`.
 */
export function copyClaims(claims: object, bad: string[]): Readonly<Record<string, unknown>> {
  const out: Record<string, unknown> = {};
  const seen = new WeakSet<object>([claims]);
  for (const key of Object.keys(claims)) {
    const where = SAFE_KEY.test(key) ? `principal.claims.${key}` : 'principal.claims';
    setOwn(out, key, copy((claims as Record<string, unknown>)[key], 1, seen, where, bad));
  }
  return deepFreeze(out);
}

function copy(value: unknown, depth: number, seen: WeakSet<object>, where: string, bad: string[]) {
  if (typeof value !== 'object' || value === null) {
    if (typeof value === 'function' || typeof value === 'symbol' || typeof value === 'bigint') {
      bad.push(where);
    }
    return value;
  }
  if (seen.has(value)) return '[circular]';
  if (depth >= MAX_DEPTH) return '[depth]';
  const isArray = Array.isArray(value);
  const proto = Object.getPrototypeOf(value);
  if (!isArray && proto !== Object.prototype && proto !== null) {
    bad.push(where);
    return undefined;
  }
  seen.add(value);
  let out: unknown;
  if (isArray) out = value.map((v) => copy(v, depth + 1, seen, where, bad));
  else {
    const obj: Record<string, unknown> = {};
    for (const key of Object.keys(value)) {
      setOwn(obj, key, copy((value as Record<string, unknown>)[key], depth + 1, seen, where, bad));
    }
    out = obj;
  }
  seen.delete(value);
  return out;
}
