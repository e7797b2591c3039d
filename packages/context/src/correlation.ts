import { randomUUID } from 'node:crypto';

/**
 * The header Plinth reads and writes the correlation id on.
 *
 * @example
 * ```ts
 * import { CORRELATION_ID_HEADER, getContext } from '@plinth/context';
 *
 * res.setHeader(CORRELATION_ID_HEADER, getContext()!.correlationId);
 * ```
 */
export const CORRELATION_ID_HEADER = 'x-correlation-id';

/**
 * Fallback header read when `x-correlation-id` is absent or unacceptable
 * (set by many proxies and load balancers).
 *
 * @example
 * ```ts
 * import { REQUEST_ID_HEADER, resolveCorrelationId } from '@plinth/context';
 *
 * const { id } = resolveCorrelationId(req.headers[REQUEST_ID_HEADER]);
 * ```
 */
export const REQUEST_ID_HEADER = 'x-request-id';

const VALID_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/** Where a resolved correlation id came from. */
export type CorrelationIdSource = 'client' | 'generated';

/** Result of {@link resolveCorrelationId}. */
export interface ResolvedCorrelationId {
  /** A safe id: the caller's, when acceptable, otherwise a fresh UUID v4. */
  readonly id: string;
  /** `client` when the caller's value was accepted, `generated` otherwise. */
  readonly source: CorrelationIdSource;
}

/**
 * Whether `value` is an acceptable correlation (or request) id:
 * 1–128 characters from `[A-Za-z0-9._:-]`. Anything else — CR/LF, spaces,
 * non-ASCII, quotes, the empty string — is refused, so an id can be written to
 * headers and log lines without escaping.
 *
 * @example
 * ```ts
 * import { isValidCorrelationId } from '@plinth/context';
 *
 * isValidCorrelationId('req-42'); // true
 * isValidCorrelationId('a\r\nSet-Cookie: x'); // false
 * ```
 */
export function isValidCorrelationId(value: unknown): value is string {
  return typeof value === 'string' && VALID_ID.test(value);
}

/**
 * Turn an incoming header value into a correlation id that is safe to log and
 * echo. Never throws: a missing, empty, oversized, multi-valued or otherwise
 * hostile value yields a fresh UUID with `source: 'generated'`. A single-item
 * array (Node's shape for repeated headers) is unwrapped.
 *
 * @example
 * ```ts
 * import { resolveCorrelationId } from '@plinth/context';
 *
 * resolveCorrelationId('order-7f3a'); // { id: 'order-7f3a', source: 'client' }
 * resolveCorrelationId('evil\r\nx: 1').source; // 'generated'
 * ```
 */
export function resolveCorrelationId(
  headerValue: string | readonly string[] | undefined | null,
): ResolvedCorrelationId {
  const value = single(headerValue);
  return isValidCorrelationId(value)
    ? { id: value, source: 'client' }
    : { id: randomUUID(), source: 'generated' };
}

/** Node's shape for a repeated header is an array: only a one-item array is usable. */
const single = (value: unknown) =>
  Array.isArray(value) && value.length === 1 ? (value[0] as unknown) : value;

/**
 * A plain headers record as frameworks expose it (Node's `IncomingHttpHeaders`
 * fits), or a fetch-style `Headers` object with `get(name)`.
 */
export type HeadersLike =
  | Readonly<Record<string, string | readonly string[] | undefined>>
  | { get(name: string): string | null };

/**
 * Resolve the correlation id from a headers record: `x-correlation-id` first,
 * then `x-request-id`, each validated by {@link resolveCorrelationId}. Header
 * names are matched case-insensitively; Node already lower-cases them, so the
 * fast path is two property reads. Never throws: a headers object that cannot
 * be read (throwing getter or Proxy trap) yields a fresh id.
 *
 * @example
 * ```ts
 * import { correlationIdFromHeaders } from '@plinth/context';
 *
 * correlationIdFromHeaders({ 'x-request-id': 'lb-123' }); // { id: 'lb-123', source: 'client' }
 * ```
 */
export function correlationIdFromHeaders(
  headers: HeadersLike | undefined | null,
): ResolvedCorrelationId {
  for (const name of [CORRELATION_ID_HEADER, REQUEST_ID_HEADER]) {
    let value: unknown;
    try {
      value =
        headers && typeof headers === 'object' ? single(readHeader(headers, name)) : undefined;
    } catch {
      break;
    }
    if (isValidCorrelationId(value)) return { id: value, source: 'client' };
  }
  return { id: randomUUID(), source: 'generated' };
}

type HeadersRecord = Readonly<Record<string, string | readonly string[] | undefined>>;

function readHeader(headers: HeadersLike, name: string): string | readonly string[] | undefined {
  if (typeof headers.get === 'function') {
    // A fetch Headers object joins repeated headers with ', ', which the id rules reject.
    return (headers as { get(name: string): string | null }).get(name) ?? undefined;
  }
  const record = headers as HeadersRecord;
  const direct = record[name];
  if (direct !== undefined) return direct;
  for (const key of Object.keys(record)) {
    if (key.length === name.length && key.toLowerCase() === name) return record[key];
  }
  return undefined;
}
