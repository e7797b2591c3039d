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
    description:
      'The request body, query or parameters failed validation. `errors[]` lists each problem with a dotted `path`, a `message` and a machine-readable `code`. Fix the input and retry.',
  };
  /** Field-level problems; empty when the whole input is rejected. */
  readonly errors: readonly ValidationIssue[];

  constructor(
    message?: string,
    options: AppErrorOptions & { errors?: readonly ValidationIssue[] } = {},
  ) {
    const { errors, ...rest } = options ?? {};
    super(message, rest);
    this.errors = Object.freeze(
      (Array.isArray(errors) ? errors : []).map((issue: ValidationIssue) =>
        Object.freeze({ path: issue.path, message: issue.message, code: issue.code }),
      ),
    );
  }

  override toJSON() {
    return { ...super.toJSON(), errors: this.errors };
  }
}

/**
 * 401: no or invalid credentials.
 *
 * @example
 * ```ts
 * import { UnauthorizedError } from '@plinth/errors';
 *
 * throw new UnauthorizedError('The access token has expired');
 * ```
 */
export class UnauthorizedError extends AppError {
  static override defaults: AppErrorDefaults = {
    code: 'UNAUTHORIZED',
    status: 401,
    title: 'Unauthorized',
    message: 'Authentication is required',
    severity: 'warning',
    description:
      'No credentials, or credentials that are invalid or expired. Authenticate (for example obtain a fresh token) and retry.',
  };
}

/**
 * 403: authenticated, but not allowed to do this.
 *
 * @example
 * ```ts
 * import { ForbiddenError } from '@plinth/errors';
 *
 * throw new ForbiddenError(undefined, { details: { requiredRole: 'admin' } });
 * ```
 */
export class ForbiddenError extends AppError {
  static override defaults: AppErrorDefaults = {
    code: 'FORBIDDEN',
    status: 403,
    title: 'Forbidden',
    message: 'You do not have permission to perform this action',
    severity: 'warning',
    description:
      'The caller is authenticated but lacks the role or scope this action needs. Retrying will not help without different permissions.',
  };
}

/**
 * 404: the resource does not exist (or is not visible to the caller).
 *
 * @example
 * ```ts
 * import { NotFoundError } from '@plinth/errors';
 *
 * throw new NotFoundError('No client with this id', { details: { clientId } });
 * ```
 */
export class NotFoundError extends AppError {
  static override defaults: AppErrorDefaults = {
    code: 'NOT_FOUND',
    status: 404,
    title: 'Not Found',
    message: 'The requested resource was not found',
    severity: 'info',
    description:
      'The resource does not exist, or exists but is not visible to the caller (for example it belongs to another tenant).',
  };
}

/**
 * 409: the request conflicts with the current state (duplicate, stale version).
 *
 * @example
 * ```ts
 * import { ConflictError } from '@plinth/errors';
 *
 * throw new ConflictError('A client with this email already exists');
 * ```
 */
export class ConflictError extends AppError {
  static override defaults: AppErrorDefaults = {
    code: 'CONFLICT',
    status: 409,
    title: 'Conflict',
    message: 'The request conflicts with the current state of the resource',
    severity: 'info',
    description:
      'The request conflicts with the current state: a duplicate unique value or a stale version. Re-read the resource and retry with fresh data.',
  };
}

/**
 * 422: well-formed input that breaks a business rule.
 *
 * @example
 * ```ts
 * import { BusinessRuleError } from '@plinth/errors';
 *
 * throw new BusinessRuleError('An invoice cannot be paid twice', { details: { rule: 'single-payment' } });
 * ```
 */
export class BusinessRuleError extends AppError {
  static override defaults: AppErrorDefaults = {
    code: 'BUSINESS_RULE_VIOLATION',
    status: 422,
    title: 'Unprocessable Content',
    message: 'The request violates a business rule',
    severity: 'info',
    description:
      'The input is well-formed but breaks a business rule. `details` may say which rule.',
  };
}

/**
 * 429: too many requests. `retryAfterSeconds` feeds the `Retry-After` header.
 *
 * @example
 * ```ts
 * import { RateLimitError } from '@plinth/errors';
 *
 * throw new RateLimitError(undefined, { retryAfterSeconds: 30 });
 * ```
 */
export class RateLimitError extends AppError {
  static override defaults: AppErrorDefaults = {
    code: 'RATE_LIMITED',
    status: 429,
    title: 'Too Many Requests',
    message: 'Too many requests, retry later',
    severity: 'warning',
    description:
      'The caller sent too many requests. Wait `retryAfterSeconds` (also sent as `Retry-After`) before retrying.',
  };
  readonly retryAfterSeconds: number | undefined;

  constructor(message?: string, options: AppErrorOptions & { retryAfterSeconds?: number } = {}) {
    const { retryAfterSeconds, ...rest } = options ?? {};
    super(message, rest);
    this.retryAfterSeconds = nonNegativeSeconds(retryAfterSeconds);
  }
}

/**
 * 500: a bug or an unexpected failure. The message is never shown to clients.
 *
 * @example
 * ```ts
 * import { InternalError } from '@plinth/errors';
 *
 * throw new InternalError('Ledger totals do not match', { context: { ledgerId } });
 * ```
 */
export class InternalError extends AppError {
  static override defaults: AppErrorDefaults = {
    code: 'INTERNAL_ERROR',
    status: 500,
    title: 'Internal Server Error',
    message: 'An unexpected error occurred',
    severity: 'error',
    description:
      'An unexpected failure on the server. The client sees only the title; quote `errorId` (and `correlationId`) when reporting it.',
  };
}

/**
 * 503: a dependency is down or overloaded. `retryable` tells callers whether to try again.
 *
 * @example
 * ```ts
 * import { ServiceUnavailableError } from '@plinth/errors';
 *
 * throw new ServiceUnavailableError('Payments provider is down', { retryAfterSeconds: 60, cause: err });
 * ```
 */
export class ServiceUnavailableError extends AppError {
  static override defaults: AppErrorDefaults = {
    code: 'SERVICE_UNAVAILABLE',
    status: 503,
    title: 'Service Unavailable',
    message: 'The service is temporarily unavailable',
    severity: 'error',
    description:
      'A dependency is down or the service is overloaded or shutting down. Safe to retry later, after `retryAfterSeconds` when given.',
  };
  readonly retryable: boolean;
  readonly retryAfterSeconds: number | undefined;

  constructor(
    message?: string,
    options: AppErrorOptions & { retryable?: boolean; retryAfterSeconds?: number } = {},
  ) {
    const { retryable = true, retryAfterSeconds, ...rest } = options ?? {};
    super(message, rest);
    this.retryable = retryable;
    this.retryAfterSeconds = nonNegativeSeconds(retryAfterSeconds);
  }
}

/**
 * 504: an operation or a dependency took too long.
 *
 * @example
 * ```ts
 * import { TimeoutError } from '@plinth/errors';
 *
 * throw new TimeoutError('Payments provider did not answer in 5s', { cause: err });
 * ```
 */
export class TimeoutError extends AppError {
  static override defaults: AppErrorDefaults = {
    code: 'TIMEOUT',
    status: 504,
    title: 'Gateway Timeout',
    message: 'The operation timed out',
    severity: 'error',
    description:
      'The operation or a dependency it called took too long. The outcome may be unknown; retry only idempotent requests.',
  };
}

function nonNegativeSeconds(value: number | undefined): number | undefined {
  if (typeof value !== 'number' || !Number.isFinite(value)) return undefined;
  return Math.max(0, Math.ceil(value));
}
