import type { AppError } from './app-error.js';
import { InternalError } from './http-errors.js';
import { sanitize } from './sanitize.js';
import { scrubText } from './sanitize-text.js';
import { statusPhrase } from './status.js';
import { toAppError } from './to-app-error.js';
import type { ValidationIssue } from './types.js';

/**
 * The media type of a problem details response (RFC 9457 §3).
 *
 * @example
 * ```ts
 * import { PROBLEM_CONTENT_TYPE } from '@plinth/errors';
 *
 * reply.header('content-type', PROBLEM_CONTENT_TYPE);
 * ```
 */
export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

/** An RFC 9457 problem details object, with Plinth's extension members. */
export interface ProblemDetails {
  /** URI identifying the problem type: `typeBase` + code, or `about:blank`. */
  type: string;
  /** Short summary of the problem type (the HTTP reason phrase when `type` is `about:blank`). */
  title: string;
  status: number;
  /** Explanation of this occurrence: the error message for client-safe errors, else the title. */
  detail: string;
  /** URI reference of this occurrence (usually the request path), when given. */
  instance?: string;
  /** Stable machine-readable error code (`NOT_FOUND`, `CLIENT_NOT_FOUND`). */
  code: string;
  /** Unique id of this error; quote it to find the log line. */
  errorId: string;
  correlationId?: string;
  /** ISO 8601 time the error was created. */
  timestamp: string;
  /** Field problems of a validation error. */
  errors?: ValidationIssue[];
  /** Client-safe structured data from the error's `details` (sanitized). */
  details?: Record<string, unknown>;
  /** Seconds to wait before retrying (also worth sending as `Retry-After`). */
  retryAfterSeconds?: number;
  /** Only with `debug: true`: message, stack, context and cause chain (sanitized). */
  debug?: Record<string, unknown>;
}

/** Options for `toProblemDetails`. */
export interface ProblemDetailsOptions {
  /** RFC 9457 `instance`, typically the request path (sensitive query values redacted). Dropped when it holds whitespace or control characters. Default: omitted. */
  instance?: string;
  /** Correlation id of the request; dropped unless it matches `[A-Za-z0-9._:-]{1,128}`. Default: omitted. */
  correlationId?: string;
  /** Include message, stack, context and cause for every status. Never in production. Default false. */
  debug?: boolean;
  /**
   * Base of the `type` URI; the error code is appended
   * (`'https://errors.example.com/'` → `https://errors.example.com/NOT_FOUND`),
   * or a function from code to URI. Default: none, so `type` is `about:blank`
   * and `title` is the HTTP reason phrase (RFC 9457 §4.2.1).
   */
  typeBase?: string | ((code: string) => string);
}

function typeUri(base: ProblemDetailsOptions['typeBase'], code: string): string | undefined {
  try {
    const uri =
      typeof base === 'function'
        ? base(code)
        : typeof base === 'string' && base
          ? `${base}${code}`
          : undefined;
    return typeof uri === 'string' && uri ? uri : undefined;
  } catch {
    return undefined;
  }
}

function issues(err: AppError): ValidationIssue[] | undefined {
  const list = (err as { errors?: unknown }).errors;
  if (!Array.isArray(list)) return undefined;
  return list
    .filter((i): i is ValidationIssue => typeof i === 'object' && i !== null)
    .map((i) => ({
      path: String(i.path ?? ''),
      message: scrubText(String(i.message ?? '')),
      code: String(i.code ?? ''),
    }));
}

/** Same grammar as `@plinth/context`'s correlation ids; anything else is dropped, never echoed. */
const CORRELATION_ID = /^[A-Za-z0-9._:-]{1,128}$/;
/** A URI reference: no whitespace or control characters (CR/LF would forge headers or log lines). */
function isUriReference(value: string): boolean {
  if (value.length === 0 || value.length > 2048) return false;
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c <= 0x20 || (c >= 0x7f && c <= 0xa0) || c === 0x2028 || c === 0x2029) return false;
  }
  return true;
}

function option(value: unknown, valid: (value: string) => boolean): string | undefined {
  return typeof value === 'string' && valid(value) ? value : undefined;
}

function debugMember(err: AppError): Record<string, unknown> {
  const out = sanitize(
    { message: err.message, stack: err.stack, context: err.context, cause: err.cause },
    { includeStack: true },
  );
  return out as Record<string, unknown>;
}

/**
 * Build an RFC 9457 problem details object for any error (non-AppErrors go
 * through `toAppError` first). 4xx errors with `expose` show their message as
 * `detail` (secrets found in it, and in `errors[].message`, redacted); 5xx
 * errors (and `expose: false`) show only the title. `context`,
 * `cause` and the stack never appear unless `debug: true`. `details` is sent
 * nested under `details`, sanitized. Never throws.
 *
 * @example
 * ```ts
 * import { PROBLEM_CONTENT_TYPE, toProblemDetails } from '@plinth/errors';
 *
 * const problem = toProblemDetails(err, { instance: req.url, correlationId });
 * res.status(problem.status).type(PROBLEM_CONTENT_TYPE).send(problem);
 * ```
 */
export function toProblemDetails(
  error: unknown,
  options: ProblemDetailsOptions = {},
): ProblemDetails {
  try {
    return build(toAppError(error), options);
  } catch (failure) {
    // Only a hostile error object (throwing getters on a branded look-alike) gets here.
    return build(new InternalError(undefined, { cause: failure }), {});
  }
}

function build(err: AppError, options: ProblemDetailsOptions): ProblemDetails {
  const o: ProblemDetailsOptions = typeof options === 'object' && options !== null ? options : {};
  const type = typeUri(o.typeBase, err.code);
  const title = type ? err.title : statusPhrase(err.status);
  const client = err.expose && err.status < 500;
  const raw = option(o.instance, isUriReference);
  const instance = raw === undefined ? undefined : scrubText(raw, { maxLength: 2048 });
  const correlationId = option(o.correlationId, (v) => CORRELATION_ID.test(v));
  const problem: ProblemDetails = {
    type: type ?? 'about:blank',
    title,
    status: err.status,
    detail: client && err.message ? scrubText(err.message) : title,
    ...(instance ? { instance } : {}),
    code: err.code,
    errorId: err.errorId,
    ...(correlationId ? { correlationId } : {}),
    timestamp: err.timestamp,
  };
  const list = err.status < 500 ? issues(err) : undefined;
  if (list) problem.errors = list;
  if (err.details && Object.keys(err.details).length > 0) {
    problem.details = sanitize(err.details) as Record<string, unknown>;
  }
  const retry = (err as { retryAfterSeconds?: unknown }).retryAfterSeconds;
  if (typeof retry === 'number' && Number.isFinite(retry) && retry >= 0) {
    problem.retryAfterSeconds = Math.ceil(retry);
  }
  if (o.debug === true) problem.debug = debugMember(err);
  return problem;
}
