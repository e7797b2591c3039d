import { invalidOptions, requireOptionsObject } from '@plinth/errors';

/** CORS settings: an explicit allow-list of origins. */
export interface CorsOptions {
  /** Exact origins (`https://app.example.com`), or `'*'` (refused when NODE_ENV=production). */
  origins: readonly string[] | '*';
  /** Send `Access-Control-Allow-Credentials: true` (listed origins only). Default false. */
  credentials?: boolean;
  /** Methods allowed by preflight. Default GET, HEAD, POST, PUT, PATCH, DELETE. */
  methods?: readonly string[];
  /** Request headers allowed by preflight. Default content-type, authorization, if-match, x-correlation-id, x-request-id, traceparent, tracestate. */
  allowedHeaders?: readonly string[];
  /**
   * Response headers readable by the page. Default x-correlation-id,
   * retry-after, ratelimit, ratelimit-policy, etag, location (a page can back
   * off before it is refused, not only after a 429).
   */
  exposedHeaders?: readonly string[];
  /** `Access-Control-Max-Age` of preflight answers, seconds. Default 600. */
  maxAgeSeconds?: number;
}

/** What CORS adds to one request: headers, and whether it is a preflight to answer with 204. */
export interface CorsDecision {
  readonly headers: Readonly<Record<string, string>>;
  readonly preflight: boolean;
}

export type CorsPolicy = (
  method: string,
  headers: Readonly<Record<string, string | string[] | undefined>>,
) => CorsDecision;

const ORIGIN = /^https?:\/\/[A-Za-z0-9.-]+(:\d{1,5})?$/;

function check(o: CorsOptions, env: string | undefined): void {
  requireOptionsObject(o, 'http-adapters');
  const issues = [];
  if (o.origins === '*') {
    if (env === 'production')
      issues.push({
        path: 'cors.origins',
        message: "must list origins: '*' is refused when NODE_ENV=production",
      });
    if (o.credentials)
      issues.push({ path: 'cors.credentials', message: "cannot be used with origins '*'" });
  } else if (
    !Array.isArray(o.origins) ||
    !o.origins.every((x) => typeof x === 'string' && ORIGIN.test(x))
  ) {
    issues.push({
      path: 'cors.origins',
      message: "must be '*' or an array of origins like https://app.example.com",
    });
  }
  const max = o.maxAgeSeconds ?? 600;
  if (!Number.isInteger(max) || max < 0 || max > 86_400) {
    issues.push({ path: 'cors.maxAgeSeconds', message: 'must be an integer from 0 to 86400' });
  }
  if (issues.length > 0) throw invalidOptions('http-adapters', issues);
}

/**
 * Build the CORS decision function. Requests without `Origin`, or from an
 * origin not on the list, get no CORS headers (only `Vary: Origin`). An
 * `OPTIONS` request with `Access-Control-Request-Method` is a preflight,
 * answered 204 by the adapter with the allowed methods, headers and max age.
 *
 * @example
 * ```ts
 * import { createCorsPolicy } from '@plinth/http-adapters';
 *
 * const cors = createCorsPolicy({ origins: ['https://app.example.com'], credentials: true });
 * cors('GET', { origin: 'https://app.example.com' }).headers;
 * ```
 */
export function createCorsPolicy(options: CorsOptions, env = process.env.NODE_ENV): CorsPolicy {
  check(options, env);
  const any = options.origins === '*';
  const allowed = new Set(any ? [] : options.origins);
  const base: Record<string, string> = { vary: 'Origin' };
  const credentials: Record<string, string> = options.credentials
    ? { 'access-control-allow-credentials': 'true' }
    : {};
  const exposed = (
    options.exposedHeaders ?? [
      'x-correlation-id',
      'retry-after',
      'ratelimit',
      'ratelimit-policy',
      'etag',
      'location',
    ]
  ).join(', ');
  const preflight: Record<string, string> = {
    'access-control-allow-methods': (
      options.methods ?? ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE']
    ).join(', '),
    'access-control-allow-headers': (
      options.allowedHeaders ?? [
        'content-type',
        'authorization',
        'if-match',
        'x-correlation-id',
        'x-request-id',
        'traceparent',
        'tracestate',
      ]
    ).join(', '),
    'access-control-max-age': String(options.maxAgeSeconds ?? 600),
  };
  // Every answer depends only on the origin (one of a fixed list, or any with '*') and on
  // whether the request is a preflight: each is built once, frozen, and shared.
  const decide = (headers: Record<string, string>, preflight: boolean): CorsDecision =>
    Object.freeze({ headers: Object.freeze(headers), preflight });
  const refused = [decide(base, false), decide(base, true)] as const;
  const answers = (origin: string) => {
    const allow = { ...base, 'access-control-allow-origin': origin, ...credentials };
    return [
      decide({ ...allow, 'access-control-expose-headers': exposed }, false),
      decide({ ...allow, ...preflight }, true),
    ] as const;
  };
  const forAny = any ? answers('*') : undefined;
  const byOrigin = new Map([...allowed].map((origin) => [origin, answers(origin)]));
  return (method, headers): CorsDecision => {
    const origin = headers.origin;
    const isPreflight =
      method === 'OPTIONS' &&
      typeof origin === 'string' &&
      headers['access-control-request-method'] !== undefined;
    const found = typeof origin === 'string' ? (forAny ?? byOrigin.get(origin)) : undefined;
    return (found ?? refused)[isPreflight ? 1 : 0];
  };
}
