import {
  CORRELATION_ID_HEADER,
  correlationIdFromHeaders,
  createRequestContext,
  type RequestContext,
  resolveCorrelationId,
} from '@plinth/context';

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
 * replaced by a fresh id), a fresh request id, client address and user agent.
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
export function requestContextFor(req: RawRequestLike, ip?: string): RequestContext {
  const { id, source } = correlationIdFromHeaders(req.headers);
  const userAgent = req.headers['user-agent'];
  return createRequestContext({
    source: 'http',
    correlationId: id,
    correlationIdSource: source,
    requestId: resolveCorrelationId(undefined).id,
    ip: ip ?? req.socket?.remoteAddress,
    userAgent: typeof userAgent === 'string' ? userAgent : undefined,
  });
}

export { CORRELATION_ID_HEADER };
