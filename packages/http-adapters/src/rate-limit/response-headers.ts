import type { HttpResponse } from '../core/response.js';

/** `response` with the rate-limit headers of its request added (the same object when there are none). */
export function withLimitHeaders<R extends HttpResponse>(
  response: R,
  headers: Readonly<Record<string, string>> | undefined,
): R {
  return headers === undefined
    ? response
    : { ...response, headers: { ...response.headers, ...headers } };
}
