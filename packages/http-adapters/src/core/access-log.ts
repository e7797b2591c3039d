import type { RequestContext } from '@plinth/context';
import { isSensitiveKey, REDACTED, requireOptionsObject, scrubText } from '@plinth/errors';
import { queryPairs } from './validate.js';

/** Log level names the access log uses. */
export type AccessLogLevel = 'debug' | 'info' | 'warn' | 'error';

/** Access-log settings (all optional). */
export interface AccessLogOptions {
  /** Default true. */
  enabled?: boolean;
  /** Level per outcome. Defaults: success info, clientError warn, serverError error, quiet debug, aborted warn. */
  levels?: Partial<
    Record<'success' | 'clientError' | 'serverError' | 'quiet' | 'aborted', AccessLogLevel>
  >;
  /** Path prefixes logged at the `quiet` level. Default `['/health', '/docs', '/openapi.json']`. */
  quietPaths?: readonly string[];
  /** Request headers copied into the line (lower-case). Sensitive names are dropped even if listed. Default user-agent, content-type, content-length. */
  headers?: readonly string[];
}

/** One finished (or aborted) request, as the adapters observe it. */
export interface AccessEvent {
  readonly method: string;
  /** Raw request target (`/v1/x?token=…`); redacted before logging. */
  readonly url: string;
  /** Route template, when the request was routed. */
  readonly route: string | undefined;
  readonly status: number;
  readonly startedAt: number;
  readonly bytesOut: number;
  readonly aborted: boolean;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  readonly context: RequestContext;
  /** The route's `redactQuery` names: redacted besides the sensitive ones. */
  readonly redactQuery?: readonly string[] | undefined;
}

const DEFAULT_LEVELS = {
  success: 'info',
  clientError: 'warn',
  serverError: 'error',
  quiet: 'debug',
  aborted: 'warn',
} as const;

const PATH_SCRUB = { maxLength: 1024 };
const VALUE_SCRUB = { maxLength: 256 };
const QUERY_LIMIT = 2048;
/**
 * `name=value` pairs made only of the characters `encodeURIComponent` leaves
 * as they are (no `%`, no `+`, no empty pair): decoding and re-encoding such a
 * query gives it back unchanged, character for character.
 */
const PLAIN_QUERY = /^[\w.!~*'()-]+=[\w.!~*'()-]*(?:&[\w.!~*'()-]+=[\w.!~*'()-]*)*$/;

const NONE: readonly string[] = [];

/** Whether `key` is redacted: a sensitive name, or one of the route's (lower-case) `names`. */
const redacts = (key: string, names: readonly string[]) =>
  isSensitiveKey(key) || (names.length > 0 && names.includes(key.toLowerCase()));

/** Whether a plain query (see PLAIN_QUERY) has nothing to redact: no sensitive name, no value the scrubber changes. */
function keepsPlainQuery(query: string, names: readonly string[]): boolean {
  for (let start = 0; start < query.length; ) {
    const amp = query.indexOf('&', start);
    const end = amp === -1 ? query.length : amp;
    const eq = query.indexOf('=', start);
    if (redacts(query.slice(start, eq), names)) return false;
    const value = query.slice(eq + 1, end);
    if (scrubText(value, VALUE_SCRUB) !== value) return false;
    start = end + 1;
  }
  return true;
}

/**
 * Redact a request target for logging: query parameters with a sensitive
 * name, or named in `names` (compared case-insensitively), become
 * `[redacted]`; other values and the path go through `scrubText` (JWTs,
 * bearer tokens, URL credentials). The query is cut to 2048 characters.
 * A target with nothing to redact, in a query that re-encodes to itself, is
 * returned as it is (the same string: no copy on the usual request).
 *
 * @example
 * ```ts
 * import { redactUrl } from '@plinth/http-adapters';
 *
 * redactUrl('/v1/reset?token=abc&page=2'); // '/v1/reset?token=%5Bredacted%5D&page=2'
 * redactUrl('/v1/files?name=scan.pdf', ['name']); // '/v1/files?name=%5Bredacted%5D'
 * ```
 */
export function redactUrl(url: string, names: readonly string[] = NONE): string {
  const lower = names.length > 0 ? names.map((n) => n.toLowerCase()) : NONE;
  const q = url.indexOf('?');
  const rawPath = q === -1 ? url : url.slice(0, q);
  const path = scrubText(rawPath, PATH_SCRUB);
  if (q === -1) return path;
  const query = url.slice(q + 1, q + 1 + QUERY_LIMIT);
  if (PLAIN_QUERY.test(query) && keepsPlainQuery(query, lower))
    return path === rawPath && url.length <= q + 1 + QUERY_LIMIT ? url : `${path}?${query}`;
  const out: string[] = [];
  for (const [key, value] of queryPairs(query)) {
    const safe = redacts(key, lower) ? REDACTED : scrubText(value, VALUE_SCRUB);
    out.push(`${encodeURIComponent(key)}=${encodeURIComponent(safe)}`);
  }
  return `${path}?${out.join('&')}`;
}

/** Builds the access-log line of one request: the settings are resolved once, not per request. */
export type AccessLogBuilder = (event: AccessEvent) => {
  level: AccessLogLevel;
  record: Record<string, unknown>;
  message: string;
};

const DEFAULT_HEADERS = ['user-agent', 'content-type', 'content-length'];
const DEFAULT_QUIET = ['/health', '/docs', '/openapi.json'];

/**
 * Resolve access-log settings once (levels, quiet paths, the header
 * allow-list minus sensitive names) and return the per-request builder the
 * core calls when a response closes; {@link accessLogRecord} is the same
 * builder for one event.
 */
export function createAccessLog(options: AccessLogOptions = {}): AccessLogBuilder {
  const levels = { ...DEFAULT_LEVELS, ...options.levels };
  const quiet = options.quietPaths ?? DEFAULT_QUIET;
  const quietPrefixes = quiet.map((p) => `${p}/`);
  const names = (options.headers ?? DEFAULT_HEADERS).filter((name) => !isSensitiveKey(name));
  const isQuiet = (path: string) => {
    for (let i = 0; i < quiet.length; i++)
      if (path === quiet[i] || path.startsWith(quietPrefixes[i] as string)) return true;
    return false;
  };
  return (event) => {
    const q = event.url.indexOf('?');
    const path = q === -1 ? event.url : event.url.slice(0, q);
    const kind = event.aborted
      ? 'aborted'
      : isQuiet(path)
        ? 'quiet'
        : event.status >= 500
          ? 'serverError'
          : event.status >= 400
            ? 'clientError'
            : 'success';
    const headers: Record<string, string> = {};
    for (const name of names) {
      const value = event.headers[name];
      if (value === undefined) continue;
      headers[name] = scrubText(Array.isArray(value) ? value.join(', ') : value, {
        maxLength: 256,
      });
    }
    const durationMs = Math.round((performance.now() - event.startedAt) * 1000) / 1000;
    const { method, route, status, bytesOut, context } = event;
    const url = redactUrl(event.url, event.redactQuery);
    const { correlationId, requestId } = context;
    // One literal per shape (fields in the same order either way), no spread per request.
    const record = event.aborted
      ? {
          method,
          route,
          url,
          status,
          durationMs,
          bytesOut,
          correlationId,
          requestId,
          aborted: true,
          headers,
        }
      : { method, route, url, status, durationMs, bytesOut, correlationId, requestId, headers };
    return {
      level: levels[kind],
      record,
      message: event.aborted ? 'request aborted' : 'request completed',
    };
  };
}

/**
 * The level, fields and message of the access-log line for one request
 * (the adapters call it when the response closes).
 *
 * @example
 * ```ts
 * import { accessLogRecord } from '@plinth/http-adapters';
 *
 * const { level, record, message } = accessLogRecord(event, { quietPaths: ['/health'] });
 * logger[level](record, message);
 * ```
 */
export function accessLogRecord(
  event: AccessEvent,
  options: AccessLogOptions = {},
): { level: AccessLogLevel; record: Record<string, unknown>; message: string } {
  return createAccessLog(requireOptionsObject(options, 'accessLogRecord'))(event);
}
