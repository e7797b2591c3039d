const MAX_DEPTH = 16;

/**
 * Copy plain objects and arrays and freeze every level, so nothing reachable
 * from a context can be mutated. Class instances (Date, Buffer, …) are kept by
 * reference; anything deeper than 16 levels or cyclic is cut with `'[depth]'`
 * / `'[circular]'` markers rather than throwing.
 */
export function deepFreezeCopy(value: unknown, depth = 0, seen = new WeakSet<object>()): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (seen.has(value)) return '[circular]';
  if (depth >= MAX_DEPTH) return '[depth]';
  if (Array.isArray(value)) {
    seen.add(value);
    const out = Object.freeze(value.map((v) => deepFreezeCopy(v, depth + 1, seen)));
    seen.delete(value);
    return out;
  }
  const proto = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null) return value;
  seen.add(value);
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value)) {
    const copy = deepFreezeCopy((value as Record<string, unknown>)[key], depth + 1, seen);
    // `out.__proto__ = x` would replace the prototype: JSON claims such as
    // `{"__proto__":{"isAdmin":true}}` would then surface as inherited fields.
    if (key === '__proto__') {
      Object.defineProperty(out, key, { value: copy, enumerable: true });
    } else out[key] = copy;
  }
  seen.delete(value);
  return Object.freeze(out);
}
