import {
  CORRELATION_ID_HEADER,
  correlationIdFromHeaders,
  createRequestContext,
  isValidCorrelationId,
  type RequestContext,
} from '@plinth/context';
import type { StartIdentity } from './options.js';

/** The request facts the core needs, as both Node-based frameworks expose them. */
export interface RawRequestLike {
  readonly method?: string | undefined;
  readonly url?: string | undefined;
  /** The request target before a framework stripped a mount path (Express sets it). */
  readonly originalUrl?: string | undefined;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  /** Header names and values as received, alternating (Node's `rawHeaders`). */
  readonly rawHeaders?: readonly string[] | undefined;
  readonly socket?: { readonly remoteAddress?: string | undefined } | undefined;
}

/**
 * The context of one HTTP request: correlation id from `x-correlation-id`,
 * else `x-request-id` (validated; hostile, oversized or repeated values are
 * replaced by a fresh id), a fresh request id, client address and user agent,
 * and the `operation` (`GET /v1/clients/:id`) when the route is already known.
 * The adapter echoes `correlationId` in `x-correlation-id`.
 *
 * @example
 * ```ts
 * import { requestContextFor } from '@plinth/http-adapters';
 *
 * const ctx = requestContextFor(req, req.ip);
 * res.setHeader('x-correlation-id', ctx.correlationId);
 * ```
 */
export function requestContextFor(
  req: RawRequestLike,
  ip?: string,
  operation?: string,
): RequestContext {
  return startContext(req, ip, operation, undefined);
}

/** {@link requestContextFor}, with the principal and tenant when they are known at the start. */
export function startContext(
  req: RawRequestLike,
  ip: string | undefined,
  operation: string | undefined,
  identity: StartIdentity | undefined,
): RequestContext {
  const { headers } = req;
  // Node's headers are lower-case strings: a valid `x-correlation-id` is one property
  // read and one check; anything else takes the general path (x-request-id, arrays, case).
  const given = headers[CORRELATION_ID_HEADER];
  const resolved =
    typeof given === 'string' && isValidCorrelationId(given)
      ? undefined
      : correlationIdFromHeaders(headers);
  const userAgent = headers['user-agent'];
  // No requestId: createRequestContext generates a fresh one.
  return createRequestContext({
    source: 'http',
    correlationId: resolved ? resolved.id : (given as string),
    correlationIdSource: resolved ? resolved.source : 'client',
    ip: ip ?? req.socket?.remoteAddress,
    userAgent: typeof userAgent === 'string' ? userAgent : undefined,
    operation,
    principal: identity?.context.principal,
    tenantId: identity?.context.tenantId,
  });
}

export { CORRELATION_ID_HEADER };

/**
 * Node keeps only the first of repeated `Authorization` headers; an array here
 * lets authentication refuse the request instead of picking one.
 */
export function withRepeatedAuthorization(
  req: RawRequestLike,
): Record<string, string | string[] | undefined> {
  const headers = req.headers as Record<string, string | string[] | undefined>;
  const raw = req.rawHeaders;
  if (headers.authorization === undefined || !raw) return headers;
  const values: string[] = [];
  for (let i = 0; i + 1 < raw.length; i += 2) {
    const name = raw[i] as string;
    if (name.length === 13 && name.toLowerCase() === 'authorization')
      values.push(raw[i + 1] as string);
  }
  // Copied only then: the request's own headers stay as Node parsed them.
  return values.length > 1 ? { ...headers, authorization: values } : headers;
}
