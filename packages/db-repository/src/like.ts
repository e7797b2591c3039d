import { invalidOptions } from '@plinth/errors';

/**
 * Escapes `%`, `_` and `\` in user input so a `like` filter matches it
 * literally (PostgreSQL's default LIKE escape character is `\`). Without it,
 * a search for `50%` also matches `500` and `_` matches any character. Add
 * your own wildcards around the escaped text.
 *
 * @example
 * ```ts
 * import { escapeLike } from '@plinth/db-repository';
 *
 * // Rows whose name starts with what the user typed, wildcards included literally.
 * await products.findMany({ where: { name: { like: `${escapeLike(input)}%` } } });
 * ```
 */
export function escapeLike(value: string): string {
  // Validating the input's type is the caller's job (its schema); a non-string here is a bug there.
  if (typeof value !== 'string') throw invalidOptions('escapeLike', 'expects a string');
  return value.replace(/[\\%_]/g, '\\$&');
}
