import type { RequestContext } from '@plinth/context';
import { invalidOptions, type OptionIssue, RateLimitError } from '@plinth/errors';
import type { CheckDefinition } from '@plinth/health';
import { type LoggerLike, safeLogger, stderrLogger } from '@plinth/internal';
import { RateLimiterRes } from 'rate-limiter-flexible';
import type { RouteDefinition } from '../core/route.js';
import { clientKey } from './client-key.js';
import {
  limitField,
  limitPrefix,
  policyField,
  RATE_LIMIT_HEADER,
  RATE_LIMIT_POLICY_HEADER,
  resetSeconds,
} from './headers.js';
import { DEFAULT_POLICY, type RateLimitOptions, resolveRateLimitOptions } from './options.js';
import { type Consume, memoryStore, redisStore } from './store.js';

/** The part of the adapters' per-request state a limit reads and writes. */
export interface LimitedState {
  readonly context: RequestContext;
  /** Set once the request is counted; the core adds them to whatever response goes out. */
  rateLimitHeaders?: Readonly<Record<string, string>> | undefined;
}

/** The limit of one route, as the core drives it. */
export interface RouteLimit {
  /** Policy name in the headers. */
  readonly policy: string;
  /**
   * Count the request against its client, then run `next` (the handler) where
   * the store's answer arrives: its result, or a `RateLimitError` (429) when
   * over quota.
   */
  admit<T>(state: LimitedState, next: () => T | PromiseLike<T>): Promise<T>;
  /**
   * For an error thrown before {@link admit} (bad body, validation, 401/403):
   * count the request all the same (by principal when known, else address)
   * and return what to throw: the 429 when over quota, else `error`.
   */
  refuse(error: unknown, state: LimitedState): Promise<unknown>;
}

/** What {@link createRateLimit} returns: pass it as the adapters' `rateLimit` option. */
export interface RateLimit {
  /** False when created with `enabled: false`. */
  readonly enabled: boolean;
  /**
   * A non-critical readiness check for `createHealth({ checks })`: `pass`, or
   * `warn` while a Redis store counts per instance on its fallback.
   */
  healthCheck(): CheckDefinition;
  /** `memory`, or `shared` / `fallback` for a Redis store. */
  mode(): 'memory' | 'shared' | 'fallback';
  /**
   * Used by the adapters: the limit of each route (exempt routes are absent),
   * or undefined when nothing is limited. `INVALID_OPTIONS` for a route
   * naming an unknown policy.
   */
  bindRoutes(
    routes: readonly RouteDefinition[],
    systemRoutes: readonly RouteDefinition[],
    logger: LoggerLike,
  ): ReadonlyMap<RouteDefinition, RouteLimit> | undefined;
}

/** The limit of one policy (exported for tests; the adapters get it through `bindRoutes`). */
export function routeLimit(
  name: string,
  points: number,
  durationSeconds: number,
  consume: Consume,
  ipv6Prefix: number,
  failedOpen: () => void,
): RouteLimit {
  const policyHeader = policyField(name, points, durationSeconds);
  const prefix = limitPrefix(name);
  const headers = (res: RateLimiterRes) => ({
    [RATE_LIMIT_POLICY_HEADER]: policyHeader,
    [RATE_LIMIT_HEADER]: limitField(prefix, res.remainingPoints, res.msBeforeNext),
  });
  // Over quota: the 429 (the counter's answer carries the headers); a broken store
  // (the fallback is in memory, so only a bug gets here) serves rather than fails.
  const refusal = (state: LimitedState, res: unknown): RateLimitError | undefined => {
    if (!(res instanceof RateLimiterRes)) {
      failedOpen();
      return undefined;
    }
    state.rateLimitHeaders = headers(res);
    return new RateLimitError(undefined, {
      retryAfterSeconds: Math.max(1, resetSeconds(res.msBeforeNext)),
    });
  };
  // One promise per counted request: the store's answer is handled, and the handler
  // started, where it arrives (no second promise turn between the two).
  return {
    policy: name,
    admit: (state, next) =>
      consume(clientKey(state.context, ipv6Prefix)).then(
        (res) => {
          state.rateLimitHeaders = headers(res);
          return next();
        },
        (res: unknown) => {
          const refused = refusal(state, res);
          if (refused) throw refused;
          return next();
        },
      ),
    refuse: (error, state) =>
      state.rateLimitHeaders !== undefined
        ? Promise.resolve(error)
        : consume(clientKey(state.context, ipv6Prefix)).then(
            (res) => {
              state.rateLimitHeaders = headers(res);
              return error;
            },
            (res: unknown) => refusal(state, res) ?? error,
          ),
  };
}

/**
 * Rate limiting for both adapters on `rate-limiter-flexible` (ADR 0103):
 * every request to a route counts against its client — the principal once
 * authenticated, else the client address the adapter computed (its
 * trust-proxy setting applies) — in the API-wide quota or the named policy
 * the route picks with `policy.rateLimit` (`false` exempts it). Every
 * counted response carries `RateLimit-Policy` and `RateLimit`
 * (draft-ietf-httpapi-ratelimit-headers-11, ADR 0104); over quota the
 * answer is a 429 problem (`RATE_LIMITED`) with `Retry-After`. Health, the
 * OpenAPI document and the docs page are exempt unless `limitSystemRoutes`.
 * With `redis`, instances share one limit; while Redis is down or slow each
 * instance falls back to its own limiter (ADR 0105). Throws
 * `INVALID_OPTIONS` listing every bad option.
 *
 * @example
 * ```ts
 * import { createRateLimit } from '@plinth/http-adapters';
 *
 * const rateLimit = createRateLimit({ points: 100, durationSeconds: 60,
 *   policies: { login: { points: 5, durationSeconds: 60 } } });
 * const options = { routes, rateLimit };
 * ```
 */
export function createRateLimit(options: RateLimitOptions = {}): RateLimit {
  const o = resolveRateLimitOptions(options);
  // The adapter's logger unless one is given; nothing is logged before the adapter binds routes.
  let logger: Required<LoggerLike> | undefined = o.logger ? safeLogger(o.logger) : undefined;
  const log = () => logger ?? stderrLogger();
  const store = o.redis ? redisStore(o.redis, o.keyPrefix, o.redisTimeoutMs, log) : memoryStore();
  let warnedOpen = false;
  const failedOpen = () => {
    if (warnedOpen) return;
    warnedOpen = true;
    log().error(
      { event: 'rate_limit.store.failed' },
      'Rate limit store failed without a fallback; requests are served unlimited',
    );
  };
  const limits = new Map<string, RouteLimit>();
  if (o.enabled) {
    for (const [name, policy] of o.policies) {
      const consume = store.counter(name, policy);
      limits.set(
        name,
        routeLimit(name, policy.points, policy.durationSeconds, consume, o.ipv6Prefix, failedOpen),
      );
    }
  }

  return {
    enabled: o.enabled,
    healthCheck: () => store.healthCheck(),
    mode: () => store.mode(),
    bindRoutes(routes, systemRoutes, adapterLogger) {
      if (!o.enabled) return undefined;
      logger ??= safeLogger(adapterLogger);
      const issues: OptionIssue[] = [];
      const bound = new Map<RouteDefinition, RouteLimit>();
      const bind = (route: RouteDefinition, path: string, system: boolean) => {
        const chosen: unknown = route.policy?.rateLimit;
        if (chosen === false || (system && !o.limitSystemRoutes && chosen === undefined)) return;
        const name = chosen ?? DEFAULT_POLICY;
        const limit = typeof name === 'string' ? limits.get(name) : undefined;
        if (limit) bound.set(route, limit);
        else
          issues.push({
            path,
            message: `must be false or a policy name given to createRateLimit (${[...limits.keys()].join(', ')})`,
            code: 'invalid',
          });
      };
      routes.forEach((r, i) => void bind(r, `routes.${i}.policy.rateLimit`, false));
      for (const r of systemRoutes) bind(r, `${r.method} ${r.path}`, true);
      if (issues.length > 0) throw invalidOptions('http-adapters rateLimit', issues);
      return bound.size > 0 ? bound : undefined;
    },
  };
}
