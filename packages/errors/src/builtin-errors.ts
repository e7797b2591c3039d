import { ConfigError } from './config-error.js';
import {
  BusinessRuleError,
  ConflictError,
  ForbiddenError,
  InternalError,
  NotFoundError,
  RateLimitError,
  ServiceUnavailableError,
  TimeoutError,
  UnauthorizedError,
  ValidationError,
} from './http-errors.js';
import { OptionsError } from './options-error.js';

/**
 * The built-in error classes, in status order. Pass to `renderErrorCatalog`
 * to document them next to your own codes.
 *
 * @example
 * ```ts
 * import { BUILTIN_ERRORS } from '@plinth/errors';
 * import { renderErrorCatalog } from '@plinth/errors/catalog';
 *
 * const markdown = renderErrorCatalog([{ heading: 'Platform errors', errors: BUILTIN_ERRORS }]);
 * ```
 */
export const BUILTIN_ERRORS = Object.freeze([
  ValidationError,
  UnauthorizedError,
  ForbiddenError,
  NotFoundError,
  ConflictError,
  BusinessRuleError,
  RateLimitError,
  InternalError,
  OptionsError,
  ConfigError,
  ServiceUnavailableError,
  TimeoutError,
] as const);
