import { isSensitiveKey, REDACTED, type SensitiveKeyMatcher } from '@plinth/errors';

/** Words separated by whitespace, as an array (long lists stay readable). */
const list = (words: string) => words.trim().split(/\s+/);

/** Request headers a log line keeps; every other header is left out. */
const REQUEST_HEADERS = list(`
  accept accept-encoding accept-language content-length content-type host origin
  referer traceparent user-agent x-correlation-id x-request-id
`);
/** Response headers a log line keeps. */
const RESPONSE_HEADERS = list(
  'cache-control content-length content-type location retry-after x-correlation-id',
);

type Headers = Record<string, unknown>;

/** What {@link serializeRequest} reads (a Node `IncomingMessage`, Express or Fastify request). */
export interface RequestLike {
  method?: string;
  url?: string;
  originalUrl?: string;
  headers?: Headers;
}

/** What {@link serializeResponse} reads (a Node `ServerResponse`, Express or Fastify reply). */
export interface ResponseLike {
  statusCode?: number;
  getHeaders?(): Headers;
}

function pick(headers: Headers | undefined, allowed: readonly string[]): Headers {
  const out: Headers = {};
  if (typeof headers !== 'object' || headers === null) return out;
  for (const name of allowed) if (headers[name] !== undefined) out[name] = headers[name];
  return out;
}

/** `url` with the value of every sensitive query parameter (`?access_token=…`) replaced. */
export function redactQuery(url: string, isSensitive: SensitiveKeyMatcher = isSensitiveKey) {
  const q = url.indexOf('?');
  if (q === -1) return url;
  const hash = url.indexOf('#', q);
  const end = hash === -1 ? url.length : hash;
  const params = url
    .slice(q + 1, end)
    .split('&')
    .map((param) => {
      const eq = param.indexOf('=');
      if (eq === -1) return param;
      const raw = param.slice(0, eq);
      let name = raw;
      try {
        name = decodeURIComponent(raw.replace(/\+/g, ' '));
      } catch {
        // a malformed escape: match the raw name
      }
      return isSensitive(name) ? `${raw}=${REDACTED}` : param;
    });
  return `${url.slice(0, q + 1)}${params.join('&')}${url.slice(end)}`;
}

/** True for a request object (method, url and headers), such as a Node `IncomingMessage`. */
export function isRequestLike(value: unknown): value is RequestLike {
  const r = value as RequestLike | null;
  return (
    typeof r === 'object' &&
    r !== null &&
    typeof r.method === 'string' &&
    typeof r.url === 'string' &&
    typeof r.headers === 'object'
  );
}

/** True for a response object with `statusCode` and `getHeaders()`, such as a Node `ServerResponse`. */
export function isResponseLike(value: unknown): value is ResponseLike {
  const r = value as ResponseLike | null;
  return (
    typeof r === 'object' &&
    r !== null &&
    typeof r.statusCode === 'number' &&
    typeof r.getHeaders === 'function'
  );
}

/**
 * A request as a log line shows it: `method`, `url` (sensitive query
 * parameters redacted) and allow-listed `headers` (accept…, content-type,
 * content-length, host, origin, referer, traceparent, user-agent,
 * x-correlation-id, x-request-id). Never `authorization`, `cookie`,
 * `x-api-key`, `rawHeaders`, the body or the client address. The logger
 * applies it to a request logged as `req`.
 *
 * @example
 * ```ts
 * import { serializeRequest } from '@plinth/logging';
 *
 * serializeRequest({ method: 'GET', url: '/cb?code=1&access_token=abc', headers: { cookie: 'sid=1' } });
 * // { method: 'GET', url: '/cb?code=1&access_token=[redacted]', headers: {} }
 * ```
 */
export function serializeRequest(req: RequestLike, isSensitive?: SensitiveKeyMatcher) {
  const url = typeof req.originalUrl === 'string' ? req.originalUrl : req.url;
  return {
    method: req.method,
    url: typeof url === 'string' ? redactQuery(url, isSensitive) : undefined,
    headers: pick(req.headers, REQUEST_HEADERS),
  };
}

/**
 * A response as a log line shows it: `statusCode` and allow-listed
 * `headers` (cache-control, content-length, content-type, location,
 * retry-after, x-correlation-id); never `set-cookie`. The logger applies it
 * to a response logged as `res`.
 *
 * @example
 * ```ts
 * import { createLogger, serializeResponse } from '@plinth/logging';
 *
 * const log = createLogger();
 * const res = { statusCode: 201, getHeaders: () => ({ 'set-cookie': 'sid=1', location: '/clients/1' }) };
 * log.info({ res: serializeResponse(res) }, 'request completed');
 * ```
 */
export function serializeResponse(res: ResponseLike) {
  let headers: Headers | undefined;
  try {
    headers = res.getHeaders?.();
  } catch {
    headers = undefined;
  }
  return { statusCode: res.statusCode, headers: pick(headers, RESPONSE_HEADERS) };
}
