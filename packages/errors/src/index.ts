export { AppError } from './app-error.js';
export type { AppErrorDefaults } from './app-error.js';
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
export { isAppError } from './is-app-error.js';
export {
  createSensitiveKeyMatcher,
  DEFAULT_SENSITIVE_KEY_FRAGMENTS,
  DEFAULT_SENSITIVE_KEYS,
  isSensitiveKey,
  REDACTED,
} from './sensitive-keys.js';
export type { SensitiveKeyMatcher, SensitiveKeyOptions } from './sensitive-keys.js';
export type { AppErrorJSON, AppErrorOptions, Severity, ValidationIssue } from './types.js';
