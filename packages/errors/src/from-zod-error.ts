import { InternalError, ValidationError } from './http-errors.js';
import type { ValidationIssue } from './types.js';

/** The part of a zod 4 issue that `fromZodError` reads. */
export interface ZodIssueLike {
  readonly code?: string;
  readonly path?: ReadonlyArray<PropertyKey>;
  readonly message?: string;
  /** `unrecognized_keys` issues list the offending keys here. */
  readonly keys?: readonly string[];
  readonly input?: unknown;
}

/** Structural type of zod 4's `ZodError` (no runtime dependency on zod). */
export interface ZodErrorLike {
  readonly issues: readonly ZodIssueLike[];
}

/** Options for `fromZodError`. */
export interface FromZodErrorOptions {
  /** Error message (shown to clients: keep it generic). Default: `'The request is invalid'`. */
  message?: string;
  /** At most this many issues are kept (a huge invalid array must not make a huge response). Default 100. */
  maxIssues?: number;
  /** Client-safe data added to the error's `details`. */
  details?: Record<string, unknown>;
}

const GENERIC = 'Invalid input';

function joinPath(path: unknown): string {
  if (!Array.isArray(path)) return '';
  return path
    .map((part) => (typeof part === 'symbol' ? (part.description ?? 'symbol') : String(part)))
    .join('.');
}

function safeMessage(issue: ZodIssueLike): string {
  const message = typeof issue.message === 'string' && issue.message ? issue.message : GENERIC;
  // Zod only attaches `input` with `reportInput: true`; when it does, make sure a
  // custom message does not repeat it.
  const { input } = issue;
  if ((typeof input === 'string' && input.length >= 3) || typeof input === 'number') {
    if (message.includes(String(input))) return GENERIC;
  }
  return message;
}

function toIssues(issue: ZodIssueLike): ValidationIssue[] {
  const code = typeof issue.code === 'string' && issue.code ? issue.code : 'invalid';
  const path = joinPath(issue.path);
  if (code === 'unrecognized_keys' && Array.isArray(issue.keys) && issue.keys.length > 0) {
    // zod's message lists the keys; report one issue per key path instead.
    return issue.keys.map((key) => ({
      path: path ? `${path}.${String(key)}` : String(key),
      message: 'Unrecognized key',
      code,
    }));
  }
  return [{ path, message: safeMessage(issue), code }];
}

function isZodErrorLike(value: unknown): value is ZodErrorLike {
  return (
    typeof value === 'object' &&
    value !== null &&
    Array.isArray((value as { issues?: unknown }).issues)
  );
}

/**
 * Convert a zod 4 `ZodError` (or anything with the same `issues` shape) into a
 * `ValidationError` whose `errors[]` holds `{ path, message, code }` per issue:
 * `path` is dotted (`items.0.sku`, `''` for the root), `message` is zod's
 * message (zod 4's default messages name the expected type, bounds or allowed
 * options, never the rejected value), `code` is zod's issue code. Unknown keys
 * become one issue per key. The ZodError is kept as `cause`.
 *
 * Throws an `InternalError` when `err` has no `issues` array (a bug in the
 * caller, not bad client input).
 *
 * @example
 * ```ts
 * import { fromZodError } from '@plinth/errors';
 * import { z } from 'zod';
 *
 * const parsed = z.object({ email: z.email() }).safeParse(body);
 * if (!parsed.success) throw fromZodError(parsed.error);
 * ```
 */
export function fromZodError(
  err: ZodErrorLike,
  options: FromZodErrorOptions = {},
): ValidationError {
  if (!isZodErrorLike(err)) {
    const e = new InternalError('fromZodError expects a ZodError (an object with an issues array)');
    Error.captureStackTrace?.(e, fromZodError);
    throw e;
  }
  const opts = options ?? {};
  const max =
    typeof opts.maxIssues === 'number' && opts.maxIssues >= 1 ? Math.floor(opts.maxIssues) : 100;
  const errors: ValidationIssue[] = [];
  let omitted = 0;
  for (const issue of err.issues) {
    const converted =
      typeof issue === 'object' && issue !== null
        ? toIssues(issue)
        : [{ path: '', message: GENERIC, code: 'invalid' }];
    for (const one of converted) {
      if (errors.length < max) errors.push(one);
      else omitted++;
    }
  }
  // Nothing is dropped silently: the client learns how many issues were cut.
  const details = omitted > 0 ? { ...opts.details, omittedIssues: omitted } : opts.details;
  const error = new ValidationError(opts.message, {
    errors,
    cause: err,
    ...(details ? { details } : {}),
  });
  // The fingerprint should point at the code that validated, not at this helper.
  Error.captureStackTrace?.(error, fromZodError);
  return error;
}
