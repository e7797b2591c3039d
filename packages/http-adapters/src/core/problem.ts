import { type AppError, PROBLEM_CONTENT_TYPE, toAppError, toProblemDetails } from '@plinth/errors';
import { type HttpResponse, jsonResponse } from './response.js';

// A token was sent and refused: by the JWT pre-handler, or by @plinth/context for unusable claims.
const INVALID_TOKEN_CODES = new Set(['AUTH_TOKEN_INVALID', 'CONTEXT_AUTH_INVALID']);

/** How error responses are rendered (a slice of the adapter options). */
export interface ProblemRenderOptions {
  /** Put message, stack and context in the body (development only). Default false. */
  debug?: boolean;
  /** Base URI of the problem `type` (`https://errors.example.com/`). Default `about:blank`. */
  typeBase?: string;
}

/**
 * Turn anything thrown into a problem+json response: AppErrors keep their
 * status and client-safe message; anything else is a 500 whose body carries
 * only the title, `code`, `errorId` and `correlationId`. A 405 gets `Allow`,
 * a 401 gets a `WWW-Authenticate: Bearer` challenge (with
 * `error="invalid_token"` for `AUTH_TOKEN_INVALID` and `CONTEXT_AUTH_INVALID`), a 429/503
 * with `retryAfterSeconds` gets `Retry-After`, and no error
 * response is cached.
 *
 * @example
 * ```ts
 * import { problemResponse } from '@plinth/http-adapters';
 *
 * const { status, headers, body } = problemResponse(new Error('boom'), '/v1/x', 'req-1');
 * ```
 */
export function problemResponse(
  error: unknown,
  instance: string | undefined,
  correlationId: string | undefined,
  options: ProblemRenderOptions = {},
): HttpResponse & { error: AppError } {
  const err = toAppError(error);
  const problem = toProblemDetails(err, {
    ...(instance ? { instance } : {}),
    ...(correlationId ? { correlationId } : {}),
    debug: options.debug === true,
    ...(options.typeBase ? { typeBase: options.typeBase } : {}),
  });
  const headers: Record<string, string> = { 'cache-control': 'no-store' };
  const allow = err.status === 405 ? err.details?.allow : undefined;
  if (Array.isArray(allow)) headers.allow = allow.join(', ');
  // RFC 7235 §3.1: a 401 carries a challenge; RFC 6750 §3.1: `invalid_token` only for a refused token.
  if (err.status === 401) {
    headers['www-authenticate'] = INVALID_TOKEN_CODES.has(err.code)
      ? 'Bearer error="invalid_token"'
      : 'Bearer';
  }
  if (problem.retryAfterSeconds !== undefined) {
    headers['retry-after'] = String(problem.retryAfterSeconds);
  }
  return { ...jsonResponse(problem.status, problem, headers, PROBLEM_CONTENT_TYPE), error: err };
}
