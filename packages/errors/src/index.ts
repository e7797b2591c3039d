export type { AppErrorDefaults } from './app-error.js';
export { AppError } from './app-error.js';
export type { CatalogEntry, CatalogOptions, CatalogSection } from './catalog.js';
export { renderErrorCatalog } from './catalog.js';
export type {
  BaseErrorClass,
  DefinedErrorClass,
  DefinedErrorOptions,
  DefinedErrors,
  ErrorDefinition,
} from './define-errors.js';
export { defineErrors } from './define-errors.js';
export type { FromZodErrorOptions, ZodErrorLike, ZodIssueLike } from './from-zod-error.js';
export { fromZodError } from './from-zod-error.js';
export {
  BUILTIN_ERRORS,
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
export { isAppError } from './is-app-error.js';
export type { OptionIssue, OptionIssueInput } from './options-error.js';
export { invalidOptions, OptionsError } from './options-error.js';
export type { ProblemDetails, ProblemDetailsOptions } from './problem-details.js';
export { PROBLEM_CONTENT_TYPE, toProblemDetails } from './problem-details.js';
export type { Sanitized, SanitizeOptions } from './sanitize.js';
export { CIRCULAR, createSanitizer, sanitize, TRUNCATED } from './sanitize.js';
export type { ScrubTextOptions } from './sanitize-text.js';
export { scrubText } from './sanitize-text.js';
export { isSecretLike, SECRET_BRAND } from './secret-brand.js';
export type { SensitiveKeyMatcher, SensitiveKeyOptions } from './sensitive-keys.js';
export {
  createSensitiveKeyMatcher,
  DEFAULT_SENSITIVE_KEY_FRAGMENTS,
  DEFAULT_SENSITIVE_KEYS,
  isSensitiveKey,
  REDACTED,
} from './sensitive-keys.js';
export { toAppError } from './to-app-error.js';
export type { AppErrorJSON, AppErrorOptions, Severity, ValidationIssue } from './types.js';
