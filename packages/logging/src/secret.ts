const SECRET_BRAND = Symbol.for('plinth.secret.v1');

/**
 * Whether `value` is a `Secret` from `@plinth/config` (or any object branded
 * the same way): duck-typed on `Symbol.for('plinth.secret.v1') === true`, so
 * this package needs no dependency on config and works across copies.
 */
export function isSecretLike(value: object): boolean {
  try {
    return (value as { [SECRET_BRAND]?: unknown })[SECRET_BRAND] === true;
  } catch {
    return false;
  }
}
