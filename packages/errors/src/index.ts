// AppError and the built-in classes
export type { AppErrorDefaults } from './app-error.js';
export { AppError } from './app-error.js';
export type { AppErrorJSON, AppErrorOptions, Severity, ValidationIssue } from './types.js';
export {
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
export type { OptionIssue, OptionIssueInput } from './options-error.js';
export {
  invalidOptions,
  isOptionsObject,
  OptionsError,
  requireOptionsObject,
} from './options-error.js';
export type { ConfigIssue, ConfigIssueCode } from './config-error.js';
export { ConfigError } from './config-error.js';
export { BUILTIN_ERRORS } from './builtin-errors.js';

// Recognising and converting errors
export { isAppError } from './is-app-error.js';
export { toAppError } from './to-app-error.js';
export type { FromZodErrorOptions, ZodErrorLike, ZodIssueLike } from './from-zod-error.js';
export { fromZodError } from './from-zod-error.js';

// Problem details (RFC 9457)
export type { ProblemDetails, ProblemDetailsOptions } from './problem-details.js';
export { PROBLEM_CONTENT_TYPE, toProblemDetails } from './problem-details.js';

// Redaction: the one engine behind sanitize, scrubText and @plinth/logging
export type { Sanitized, SanitizeOptions } from './sanitize.js';
export { createSanitizer, sanitize } from './sanitize.js';
export type { SensitiveKeyMatcher, SensitiveKeyOptions } from './sensitive-keys.js';
export {
  createSensitiveKeyMatcher,
  isSensitiveKey,
  sensitiveKeyIssues,
} from './sensitive-keys.js';
export { CIRCULAR, REDACTED, TRUNCATED } from './sentinels.js';
export type { ScrubTextOptions } from './sanitize-text.js';
export { scrubText } from './sanitize-text.js';

// Product error codes
export type {
  BaseErrorClass,
  DefinedErrorClass,
  DefinedErrorOptions,
  DefinedErrors,
  ErrorDefinition,
} from './define-errors.js';
export { defineErrors } from './define-errors.js';

// Secret brand
export { isSecretLike, SECRET_BRAND } from './secret-brand.js';
