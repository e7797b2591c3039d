import { ClientErrors } from './errors.js';

/** The strong ETag of a client version: `"<version>"`. */
export const etagOf = (version: number): string => `"${version}"`;

/** What an `If-Match` header asks for: any current version (`*`) or one of these. */
export type IfMatch = { readonly any: true } | { readonly any: false; readonly versions: number[] };

const TAG = /^"([1-9][0-9]{0,8})"$/;

/**
 * Parses `If-Match` (RFC 9110 §13.1.1): `*` or a comma list of strong
 * entity tags. Weak tags (`W/"3"`) never match under the strong comparison
 * If-Match uses, so they are ignored; a header with no usable tag at all is
 * malformed (400), a missing one is 428.
 *
 * @example
 * ```ts
 * parseIfMatch('"3"'); // { any: false, versions: [3] }
 * ```
 */
export function parseIfMatch(header: string | undefined): IfMatch {
  if (header === undefined) throw new ClientErrors.PRECONDITION_REQUIRED();
  const text = header.trim();
  if (text === '*') return { any: true };
  const versions: number[] = [];
  let weak = 0;
  for (const part of text.split(',')) {
    const tag = part.trim();
    if (tag.startsWith('W/"')) {
      weak++;
      continue;
    }
    const match = TAG.exec(tag);
    if (!match) throw new ClientErrors.INVALID_IF_MATCH();
    versions.push(Number(match[1]));
  }
  if (versions.length === 0 && weak === 0) throw new ClientErrors.INVALID_IF_MATCH();
  return { any: false, versions };
}
