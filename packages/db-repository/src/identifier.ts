/** PostgreSQL's limit on an identifier (NAMEDATALEN − 1), in bytes. */
const MAX_IDENTIFIER_BYTES = 63;
const PLAIN = /^[A-Za-z_][A-Za-z0-9_$]*$/;

/**
 * The one identifier grammar of this package: a plain, unquoted-style name
 * (`[A-Za-z_][A-Za-z0-9_$]*`, at most 63 bytes). Anything else is refused
 * rather than quoted, so a name never changes meaning by case or spelling.
 */
export function isPlainIdentifier(name: unknown): name is string {
  return typeof name === 'string' && PLAIN.test(name) && name.length <= MAX_IDENTIFIER_BYTES;
}

/** Double-quotes `name`, doubling any `"` inside it (PostgreSQL's escaping rule). */
export function quoteIdentifier(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

/**
 * `"schema"."table"` for `schema.table`: each dot-separated part must be a
 * plain identifier and there may be at most `maxParts`; `undefined` otherwise.
 */
export function quoteQualified(name: unknown, maxParts: number): string | undefined {
  if (typeof name !== 'string') return undefined;
  const parts = name.split('.');
  if (parts.length > maxParts || !parts.every(isPlainIdentifier)) return undefined;
  return parts.map(quoteIdentifier).join('.');
}
