/**
 * JSON with object keys sorted (UTF-16 code-unit order) at every depth and no
 * whitespace; `undefined` members are omitted, non-finite numbers become `null`
 * (as `JSON.stringify` does). Used for metadata so the stored text, and so the
 * hash, does not depend on key insertion order.
 */
export function canonicalJson(value: unknown): string {
  // A Date serialises as JSON.stringify would (its ISO string), not as `{}`.
  if (value instanceof Date) return JSON.stringify(value);
  if (value === null || typeof value !== 'object') {
    return JSON.stringify(value) ?? 'null';
  }
  if (Array.isArray(value)) {
    return `[${value.map((v) => (v === undefined ? 'null' : canonicalJson(v))).join(',')}]`;
  }
  const keys = Object.keys(value).sort();
  const parts: string[] = [];
  for (const key of keys) {
    const v = (value as Record<string, unknown>)[key];
    if (v === undefined || typeof v === 'function' || typeof v === 'symbol') continue;
    parts.push(`${JSON.stringify(key)}:${canonicalJson(v)}`);
  }
  return `{${parts.join(',')}}`;
}

/** `text` parsed as JSON when it is an object (not an array), else `undefined`; never throws. */
export function parseJsonObject<T extends object>(text: string): T | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as T)
      : undefined;
  } catch {
    return undefined;
  }
}
