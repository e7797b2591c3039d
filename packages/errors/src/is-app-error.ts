import type { AppError } from './app-error.js';
import { APP_ERROR_BRAND } from './brand.js';

/**
 * True for any AppError, including one created by another copy of this
 * package (the CJS build when you loaded the ESM build, or another install).
 *
 * @example
 * ```ts
 * import { isAppError } from '@plinth/errors';
 *
 * if (isAppError(err) && err.status === 404) reply.code(404);
 * ```
 */
export function isAppError(value: unknown): value is AppError {
  return (
    typeof value === 'object' &&
    value !== null &&
    (value as { [APP_ERROR_BRAND]?: unknown })[APP_ERROR_BRAND] === true
  );
}
