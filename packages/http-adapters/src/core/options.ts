import type { ContextPatch } from '@plinth/context';
import {
  invalidOptions,
  isOptionsObject,
  type OptionIssue,
  requireOptionsObject,
} from '@plinth/errors';
import { isLoggerLike, type LoggerLike, MAX_TIMER_MS } from '@plinth/internal';
import type { RateLimit } from '../rate-limit/rate-limit.js';
import type { AccessLogOptions } from './access-log.js';
import type { AuditWriterLike } from './audit-denial.js';
import type { CorsOptions } from './cors.js';
import type { DocsOptions } from './docs-ui.js';
import type { OpenApiOptions } from './openapi.js';
import { MEDIA_TYPE } from './raw-body.js';
import type { ErrorReporter } from './reporter.js';
import type { HandlerRequest, RouteDefinition, RoutePolicy } from './route.js';
import type { HealthLike } from './system-routes.js';

/** What a pre-handler returns: nothing, or `{ context }` to derive the request's context. */
export type PreHandlerResult = undefined | { context?: ContextPatch };

/** The request as {@link PreHandler.atStart} sees it: before its context is built. */
export interface StartRequest {
  /** Node's headers, with a repeated `Authorization` as an array (as pre-handlers get it). */
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  readonly url: string;
  readonly policy: RoutePolicy;
}

/** Who a request is from, named by {@link PreHandler.atStart}. */
export type StartIdentity = {
  readonly context: Readonly<Pick<ContextPatch, 'principal' | 'tenantId'>>;
};

/**
 * Runs once params, query and headers are validated, and before the body is
 * read (ADR 0117): authentication and guards plug in here, so a refused
 * caller's body is never buffered or parsed (`request.body` is undefined
 * here). Throw an AppError to refuse the request; return `{ context }` to run
 * the rest of the request in a derived context (a principal and tenant after
 * authentication). The rate limit, the body and the handler follow.
 */
export interface PreHandler {
  (request: HandlerRequest): PreHandlerResult | Promise<PreHandlerResult>;
  /**
   * Optional: the principal and tenant this pre-handler would return, when it
   * knows them from the headers alone and at once (a token its cache already
   * verified). The core asks the leading pre-handlers that have one as soon as
   * it knows the route, builds the request's context with that identity from
   * the start (no derivation, no second context frame) and does not call them
   * for this request. `undefined`: the pre-handler runs as usual, and so it
   * does when `atStart` throws or names an identity the context refuses. It
   * must not wait or have side effects; a request it cannot settle goes
   * through the pre-handler, which refuses it with its reason.
   */
  readonly atStart?: (request: StartRequest) => StartIdentity | undefined;
  /**
   * True on a pre-handler that enforces routes' `policy.roles`, `scopes` and
   * `tiers` (`createJwtAuth`'s second pre-handler). The adapters refuse at
   * startup a route declaring any of them when no pre-handler says so: it
   * would otherwise be served to anyone.
   */
  readonly guards?: boolean;
}

/** HSTS settings; `false` turns the header off (for plain-HTTP development). */
export interface HstsOptions {
  /** Default 31536000 (one year). */
  maxAgeSeconds?: number;
  /** Default true. */
  includeSubDomains?: boolean;
  /** Default false. */
  preload?: boolean;
}

/** The one options object both adapters take. Every field is optional. */
export interface HttpAdapterOptions {
  /** Routes mounted by the adapter (404/405 and params are decided from these). */
  routes?: readonly RouteDefinition[];
  /** Access log and reporter failures. Default: JSON lines on stderr. */
  logger?: LoggerLike;
  accessLog?: AccessLogOptions;
  /** CORS allow-list; default off (no CORS headers, preflights fall through to 404/405). */
  cors?: CorsOptions | false;
  /** Default `{ maxAgeSeconds: 31536000, includeSubDomains: true }`. */
  hsts?: HstsOptions | false;
  /** Maximum request body in bytes. Default 1 MiB (1048576). */
  bodyLimit?: number;
  /** Run before every handler, in order (see {@link PreHandler}). */
  preHandlers?: readonly PreHandler[];
  /** Receives every rendered error and the request context; cannot affect the response. */
  onError?: ErrorReporter;
  /** After this long a pending `onError` is logged as hanging. Default 5000. */
  reporterTimeoutMs?: number;
  /** Message, stack and context in problem bodies. Refused when NODE_ENV=production. Default false. */
  debug?: boolean;
  /** Serve `/health/live` and `/health/ready` from a `createHealth()` result (`@plinth/health`). Default: none. */
  health?: HealthLike;
  /** The OpenAPI 3.1 document of the routes, served at `/openapi.json` by default; `false` turns it off. */
  openapi?: OpenApiOptions | false;
  /** The interactive API reference (Scalar) at `/docs`; `false` turns it off. Off whenever `openapi` is. */
  docs?: DocsOptions | false;
  /**
   * Every 401 and 403 is recorded here (outcome `denied`, actor when known,
   * route, reason code; `tenantId: null` when no tenant is known). An
   * `AuditWriter` from `@plinth/audit` fits. Never awaited by the response.
   */
  audit?: AuditWriterLike;
  /** Base URI of problem `type` members. Default: `about:blank`. */
  problemTypeBase?: string;
  /**
   * Per-client request quotas from `createRateLimit()`, counted after the
   * pre-handlers (so by principal once authenticated) and announced in the
   * `RateLimit-Policy` and `RateLimit` headers of every counted response. Default: none.
   */
  rateLimit?: RateLimit;
}

const isSize = (n: unknown) => Number.isInteger(n) && (n as number) > 0 && (n as number) <= 2 ** 31;

/** Check what would silently misbehave; the rest is TypeScript's job. Throws `INVALID_OPTIONS`. */
export function checkOptions(input: HttpAdapterOptions, env = process.env.NODE_ENV): void {
  const o = requireOptionsObject(input, 'http-adapters');
  const issues: OptionIssue[] = [];
  const add = (path: string, message: string) => issues.push({ path, message, code: 'invalid' });
  if (o.bodyLimit !== undefined && !isSize(o.bodyLimit))
    add('bodyLimit', 'must be a positive integer number of bytes');
  const routes = o.routes ?? [];
  if (!Array.isArray(routes)) add('routes', 'must be a list of routes (defineRoute)');
  const pre = o.preHandlers ?? [];
  if (!(Array.isArray(pre) && pre.every((p) => typeof p === 'function')))
    add('preHandlers', 'must be a list of functions');
  const guarded = Array.isArray(pre) && pre.some((p) => p?.guards === true);
  (Array.isArray(routes) ? routes : []).forEach((r: RouteDefinition, i: number) => {
    if (typeof r !== 'object' || r === null) {
      add(`routes.${i}`, 'must be a route (defineRoute)');
      return;
    }
    const policy = r.policy;
    if (!guarded && policy && (policy.roles || policy.scopes || policy.tiers))
      add(
        `routes.${i}.policy`,
        'declares roles, scopes or tiers, but no pre-handler enforces them (add createJwtAuth(...).preHandlers): the route would be served to anyone',
      );
    if (r.bodyLimit !== undefined && !isSize(r.bodyLimit))
      add(`routes.${i}.bodyLimit`, 'must be a positive integer number of bytes');
    if (typeof r.handler !== 'function') add(`routes.${i}.handler`, 'must be a function');
    if (r.body !== undefined && r.body !== 'json' && r.body !== 'stream')
      add(`routes.${i}.body`, "must be 'json' or 'stream'");
    if (r.body === 'stream' && r.schema?.body !== undefined)
      add(`routes.${i}.schema.body`, "must be absent when body is 'stream'");
    const redact = r.redactQuery;
    if (
      redact !== undefined &&
      !(Array.isArray(redact) && redact.every((n) => typeof n === 'string' && n !== ''))
    )
      add(`routes.${i}.redactQuery`, 'must be an array of query parameter names');
    const types = r.mediaTypes;
    if (r.body === 'stream' && !(Array.isArray(types) && types.length > 0))
      add(`routes.${i}.mediaTypes`, "must list the accepted media types when body is 'stream'");
    else if (types !== undefined && r.body !== 'stream')
      add(`routes.${i}.mediaTypes`, "applies only when body is 'stream'");
    else if (types?.some((t) => typeof t !== 'string' || !MEDIA_TYPE.test(t)))
      add(`routes.${i}.mediaTypes`, 'must be lower-case type/subtype names without parameters');
  });
  if (o.logger !== undefined && !isLoggerLike(o.logger))
    add('logger', 'must have error, warn and info methods');
  if (o.debug === true && env === 'production')
    add('debug', 'must not be true when NODE_ENV=production');
  const t = o.reporterTimeoutMs;
  if (t !== undefined && !(Number.isInteger(t) && t > 0 && t <= MAX_TIMER_MS))
    add('reporterTimeoutMs', 'must be a positive integer of milliseconds');
  if (o.onError !== undefined && typeof o.onError !== 'function')
    add('onError', 'must be a function');
  if (o.rateLimit !== undefined && typeof o.rateLimit?.bindRoutes !== 'function')
    add('rateLimit', 'must be the result of createRateLimit()');
  if (o.accessLog !== undefined && !isOptionsObject(o.accessLog))
    add('accessLog', 'must be an options object');
  // createCorsPolicy checks the rest of it (cors.origins, …) when the core is built.
  if (o.cors && !isOptionsObject(o.cors)) add('cors', 'must be an options object');
  const hsts = o.hsts;
  if (hsts !== undefined && hsts !== false) {
    if (typeof hsts !== 'object' || hsts === null) add('hsts', 'must be false or an object');
    else {
      const age = hsts.maxAgeSeconds;
      if (age !== undefined && !(Number.isInteger(age) && age >= 0))
        add('hsts.maxAgeSeconds', 'must be a non-negative integer of seconds');
      for (const flag of ['includeSubDomains', 'preload'] as const)
        if (hsts[flag] !== undefined && typeof hsts[flag] !== 'boolean')
          add(`hsts.${flag}`, 'must be true or false');
    }
  }
  const health = o.health;
  if (
    health !== undefined &&
    !(typeof health?.live === 'function' && typeof health?.ready === 'function')
  )
    add('health', 'must be the result of createHealth() (@plinth/health), with live() and ready()');
  if (issues.length > 0) throw invalidOptions('http-adapters', issues);
}
