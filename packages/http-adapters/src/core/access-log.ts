import type { RequestContext } from '@plinth/context';
import { isSensitiveKey, REDACTED, scrubText } from '@plinth/errors';

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
}

const DEFAULT_LEVELS = {
  success: 'info',
  clientError: 'warn',
  serverError: 'error',
  quiet: 'debug',
  aborted: 'warn',
} as const;

/**
 * Redact a request target for logging: query parameters with a sensitive
 * name become `[redacted]`, other values and the path go through `scrubText`
 * (JWTs, bearer tokens, URL credentials). The query is cut to 2048 characters.
 *
 * @example
 * ```ts
 * import { redactUrl } from '@plinth/http-adapters';
 *
 * redactUrl('/v1/reset?token=abc&page=2'); // '/v1/reset?token=%5Bredacted%5D&page=2'
 * ```
 */
export function redactUrl(url: string): string {
  const q = url.indexOf('?');
  const path = scrubText(q === -1 ? url : url.slice(0, q), { maxLength: 1024 });
  if (q === -1) return path;
  const params = new URLSearchParams(url.slice(q + 1, q + 2049));
  const out: string[] = [];
  for (const [key, value] of params) {
    const safe = isSensitiveKey(key) ? REDACTED : scrubText(value, { maxLength: 256 });
    out.push(`${encodeURIComponent(key)}=${encodeURIComponent(safe)}`);
  }
  return `${path}?${out.join('&')}`;
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
  const levels = { ...DEFAULT_LEVELS, ...options.levels };
  const quietPaths = options.quietPaths ?? ['/health', '/docs', '/openapi.json'];
  const path = event.url.split('?')[0] ?? '';
  const kind = event.aborted
    ? 'aborted'
    : quietPaths.some((p) => path === p || path.startsWith(`${p}/`))
      ? 'quiet'
      : event.status >= 500
        ? 'serverError'
        : event.status >= 400
          ? 'clientError'
          : 'success';
  const headers: Record<string, string> = {};
  for (const name of options.headers ?? ['user-agent', 'content-type', 'content-length']) {
    const value = event.headers[name];
    if (value === undefined || isSensitiveKey(name)) continue;
    headers[name] = scrubText(Array.isArray(value) ? value.join(', ') : value, { maxLength: 256 });
  }
  const record = {
    method: event.method,
    route: event.route,
    url: redactUrl(event.url),
    status: event.status,
    durationMs: Math.round((performance.now() - event.startedAt) * 1000) / 1000,
    bytesOut: event.bytesOut,
    correlationId: event.context.correlationId,
    requestId: event.context.requestId,
    ...(event.aborted ? { aborted: true } : {}),
    headers,
  };
  return {
    level: levels[kind],
    record,
    message: event.aborted ? 'request aborted' : 'request completed',
  };
}
