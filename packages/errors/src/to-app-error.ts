import { types } from 'node:util';
import { AppError } from './app-error.js';
import { recordedSites, throwSite } from './fingerprint.js';
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
import { isAppError } from './is-app-error.js';
import { isErrorStatus, statusPhrase } from './status.js';

const BY_STATUS: Readonly<Record<number, typeof AppError>> = {
  400: ValidationError,
  401: UnauthorizedError,
  403: ForbiddenError,
  404: NotFoundError,
  409: ConflictError,
  422: BusinessRuleError,
  429: RateLimitError,
  500: InternalError,
  503: ServiceUnavailableError,
  504: TimeoutError,
};

type Bag = Record<string, unknown>;

function isError(value: unknown): value is Error {
  return value instanceof Error || types.isNativeError(value);
}

/**
 * The HTTP status of an error that was made to become an HTTP response:
 * the `http-errors` shape (used by Express, body-parser, Koa: `status` plus a
 * boolean `expose`) or a Fastify error (`statusCode` plus a `FST_` code).
 * Upstream HTTP-client errors (axios, got, ky) deliberately do not match: an
 * upstream 401 is not the caller's 401.
 */
function httpStatusOf(value: Bag): number | undefined {
  const status = value.status ?? value.statusCode;
  if (!isErrorStatus(status)) return undefined;
  if (typeof value.expose === 'boolean') return status;
  if (typeof value.code === 'string' && value.code.startsWith('FST_')) return status;
  return undefined;
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value;
}

function forStatus(status: number, cause: unknown): AppError {
  const Class = BY_STATUS[status];
  return Class
    ? new Class(undefined, { status, cause })
    : new AppError(statusPhrase(status), { status, cause });
}

function convert(value: unknown): AppError {
  if (isAppError(value)) return value;
  if (isError(value)) {
    const bag = value as unknown as Bag;
    const status = httpStatusOf(bag);
    let wrapped: AppError;
    if (status !== undefined) {
      // The foreign message may echo input (JSON.parse errors do): use the class default.
      wrapped = forStatus(status, value);
    } else if (value.name === 'TimeoutError') {
      wrapped = new TimeoutError(undefined, { cause: value });
    } else {
      const message =
        typeof value.message === 'string' && value.message ? value.message : undefined;
      wrapped = new InternalError(message, { cause: value });
    }
    recordedSites.set(wrapped, throwSite(value.stack, value.message));
    return wrapped;
  }
  if (typeof value === 'object' && value !== null) {
    const status = httpStatusOf(value as Bag);
    if (status !== undefined) {
      return forStatus(status, value);
    }
  }
  return new InternalError(`A non-Error value was thrown (${describe(value)})`, { cause: value });
}

/**
 * Turn anything caught into an AppError. Never throws.
 *
 * - an AppError (from any copy of this package) is returned as is;
 * - an Error that was made to become an HTTP response (`http-errors` shape with
 *   `status` + boolean `expose`, or a Fastify `FST_*` error with `statusCode`)
 *   becomes the built-in class for that status, with the class's default
 *   message (the foreign message may echo input);
 * - an Error named `TimeoutError` (e.g. from `AbortSignal.timeout`) becomes a
 *   `TimeoutError`;
 * - any other Error (AggregateError included) becomes an `InternalError` that
 *   keeps the message for logs (never shown to clients);
 * - anything else (string, plain object, null, undefined, number…) becomes an
 *   `InternalError` saying only the type that was thrown.
 *
 * The original is always kept as `cause`. A wrapped Error's fingerprint uses
 * the original throw site. A ZodError is NOT turned into a 400: call
 * `fromZodError` where you validate client input.
 *
 * @example
 * ```ts
 * import { toAppError } from '@plinth/errors';
 *
 * try {
 *   await handler();
 * } catch (caught) {
 *   const err = toAppError(caught);
 *   logger.error({ err }, err.message);
 * }
 * ```
 */
export function toAppError(value: unknown): AppError {
  let result: AppError;
  try {
    result = convert(value);
  } catch {
    // A hostile value (throwing getters, revoked Proxy) must not escape.
    result = new InternalError('A value that could not be inspected was thrown', { cause: value });
  }
  // Point the wrapper's own stack at the caller, not at this module.
  if (result !== value && typeof Error.captureStackTrace === 'function') {
    Error.captureStackTrace(result, toAppError);
  }
  return result;
}
