import { AppError, type AppErrorDefaults } from './app-error.js';
import type { AppErrorOptions, ValidationIssue } from './types.js';

/**
 * 400: the input is invalid. `errors` lists each problem by field path.
 *
 * @example
 * ```ts
 * import { ValidationError } from '@plinth/errors';
 *
 * throw new ValidationError(undefined, {
 *   errors: [{ path: 'email', message: 'Invalid email address', code: 'invalid_format' }],
 * });
 * ```
 */
export class ValidationError extends AppError {
  static override defaults: AppErrorDefaults = {
    code: 'VALIDATION_FAILED',
    status: 400,
    title: 'Bad Request',
    message: 'The request is invalid',
    severity: 'info',
  };
  /** Field-level problems; empty when the whole input is rejected. */
  readonly errors: readonly ValidationIssue[];

  constructor(message?: string, options: AppErrorOptions & { errors?: readonly ValidationIssue[] } = {}) {
    const { errors = [], ...rest } = options;
    super(message, rest);
    this.errors = Object.freeze(errors.map((issue) => Object.freeze({ ...issue })));
  }

  override toJSON() {
    return { ...super.toJSON(), errors: this.errors };
  }
}

/** 401: no or invalid credentials. */
export class UnauthorizedError extends AppError {
  static override defaults: AppErrorDefaults = {
    code: 'UNAUTHORIZED',
    status: 401,
    title: 'Unauthorized',
    message: 'Authentication is required',
    severity: 'warning',
  };
}

/** 403: authenticated, but not allowed to do this. */
export class ForbiddenError extends AppError {
  static override defaults: AppErrorDefaults = {
    code: 'FORBIDDEN',
    status: 403,
    title: 'Forbidden',
    message: 'You do not have permission to perform this action',
    severity: 'warning',
  };
}

/** 404: the resource does not exist (or is not visible to the caller). */
export class NotFoundError extends AppError {
  static override defaults: AppErrorDefaults = {
    code: 'NOT_FOUND',
    status: 404,
    title: 'Not Found',
    message: 'The requested resource was not found',
    severity: 'info',
  };
}

/** 409: the request conflicts with the current state (duplicate, stale version). */
export class ConflictError extends AppError {
  static override defaults: AppErrorDefaults = {
    code: 'CONFLICT',
    status: 409,
    title: 'Conflict',
    message: 'The request conflicts with the current state of the resource',
    severity: 'info',
  };
}

/** 422: well-formed input that breaks a business rule. */
export class BusinessRuleError extends AppError {
  static override defaults: AppErrorDefaults = {
    code: 'BUSINESS_RULE_VIOLATION',
    status: 422,
    title: 'Unprocessable Content',
    message: 'The request violates a business rule',
    severity: 'info',
  };
}

/** 429: too many requests. `retryAfterSeconds` feeds the `Retry-After` header. */
export class RateLimitError extends AppError {
  static override defaults: AppErrorDefaults = {
    code: 'RATE_LIMITED',
    status: 429,
    title: 'Too Many Requests',
    message: 'Too many requests, retry later',
    severity: 'warning',
  };
  readonly retryAfterSeconds: number | undefined;

  constructor(message?: string, options: AppErrorOptions & { retryAfterSeconds?: number } = {}) {
    const { retryAfterSeconds, ...rest } = options;
    super(message, rest);
    this.retryAfterSeconds = nonNegativeSeconds(retryAfterSeconds);
  }
}

/** 500: a bug or an unexpected failure. The message is never shown to clients. */
export class InternalError extends AppError {
  static override defaults: AppErrorDefaults = {
    code: 'INTERNAL_ERROR',
    status: 500,
    title: 'Internal Server Error',
    message: 'An unexpected error occurred',
    severity: 'error',
  };
}

/** 503: a dependency is down or overloaded. `retryable` tells callers whether to try again. */
export class ServiceUnavailableError extends AppError {
  static override defaults: AppErrorDefaults = {
    code: 'SERVICE_UNAVAILABLE',
    status: 503,
    title: 'Service Unavailable',
    message: 'The service is temporarily unavailable',
    severity: 'error',
  };
  readonly retryable: boolean;
  readonly retryAfterSeconds: number | undefined;

  constructor(
    message?: string,
    options: AppErrorOptions & { retryable?: boolean; retryAfterSeconds?: number } = {},
  ) {
    const { retryable = true, retryAfterSeconds, ...rest } = options;
    super(message, rest);
    this.retryable = retryable;
    this.retryAfterSeconds = nonNegativeSeconds(retryAfterSeconds);
  }
}

/** 504: an operation or a dependency took too long. */
export class TimeoutError extends AppError {
  static override defaults: AppErrorDefaults = {
    code: 'TIMEOUT',
    status: 504,
    title: 'Gateway Timeout',
    message: 'The operation timed out',
    severity: 'error',
  };
}

function nonNegativeSeconds(value: number | undefined): number | undefined {
  if (value === undefined || !Number.isFinite(value)) return undefined;
  return Math.max(0, Math.ceil(value));
}
