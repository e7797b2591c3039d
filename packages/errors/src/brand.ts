/**
 * Brand shared by every copy of @plinth/errors (ESM and CJS builds, or two
 * installed versions of the same major): `Symbol.for` returns one symbol per
 * realm, so `isAppError` does not depend on `instanceof`.
 */
export const APP_ERROR_BRAND: unique symbol = Symbol.for('plinth.errors.v1') as never;
