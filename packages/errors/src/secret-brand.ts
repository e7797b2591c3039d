/**
 * Brand of `Secret` values (`@plinth/config`), and of anything else that must
 * print as `[redacted]`. `Symbol.for`, so it survives two installed copies.
 * `sanitize` and the `@plinth/logging` redactor check it.
 *
 * @example
 * ```ts
 * import { SECRET_BRAND } from '@plinth/errors';
 *
 * class ApiKey { declare readonly [SECRET_BRAND]: true }
 * Object.defineProperty(ApiKey.prototype, SECRET_BRAND, { value: true });
 * ```
 */
export const SECRET_BRAND: unique symbol = Symbol.for('plinth.secret.v1') as never;

/**
 * Whether `value` carries `SECRET_BRAND` (duck-typed, never `instanceof`). A
 * getter or Proxy trap that throws counts as "not a secret" rather than throwing.
 *
 * @example
 * ```ts
 * import { isSecretLike } from '@plinth/errors';
 *
 * isSecretLike(config.API_TOKEN); // true for a @plinth/config Secret
 * ```
 */
export function isSecretLike(value: object): boolean {
  try {
    return (value as { [SECRET_BRAND]?: unknown })[SECRET_BRAND] === true;
  } catch {
    return false;
  }
}
