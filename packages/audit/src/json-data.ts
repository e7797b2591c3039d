const MAX_DEPTH = 32;

const isPlain = (v: object) => {
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
};

/**
 * The path of the first value in `value` that JSON would silently change or that
 * cannot be serialised — a cycle, BigInt, Map/Set/class instance (→ `{}`), function,
 * symbol, non-finite number (→ `null`), invalid Date — or `undefined` when `value` is
 * plain JSON data (valid Dates allowed: they become ISO strings). Depth is capped at 32.
 */
export function firstNonJsonPath(
  value: unknown,
  path = '',
  depth = 0,
  seen = new Set<object>(),
): string | undefined {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return undefined;
  if (typeof value === 'number') return Number.isFinite(value) ? undefined : path;
  if (typeof value !== 'object') return path;
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? path : undefined;
  if (depth >= MAX_DEPTH || seen.has(value)) return path;
  if (!Array.isArray(value) && !isPlain(value)) return path;
  seen.add(value);
  const entries: [string, unknown][] = Array.isArray(value)
    ? value.map((v, i) => [String(i), v])
    : Object.entries(value).filter(([, v]) => v !== undefined);
  for (const [key, v] of entries) {
    const bad = firstNonJsonPath(
      v,
      path ? `${path}.${key.slice(0, 64)}` : key.slice(0, 64),
      depth + 1,
      seen,
    );
    if (bad !== undefined) return bad;
  }
  seen.delete(value);
  return undefined;
}
