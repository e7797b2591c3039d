import { invalidOptions, type OptionIssue, requireOptionsObject } from '@plinth/errors';
import { isLoggerLike, type LoggerLike } from '@plinth/internal';
import { POLICY_NAME } from './headers.js';

/** A quota: `points` requests per window of `durationSeconds`. */
export interface RateLimitPolicy {
  /** Requests allowed per window, 1 to 1 000 000 000. */
  points: number;
  /** Window length in whole seconds, 1 to 2 592 000 (30 days). */
  durationSeconds: number;
}

/**
 * The slice of an ioredis client the Redis store uses (structural, so
 * `ioredis` stays an optional peer that the published types never import).
 * Pass your own `new Redis(url)`; it is never closed here.
 */
export interface RateLimitRedisLike {
  /** `'ready'` when connected; any other state sends requests to the fallback at once. */
  readonly status: string;
  defineCommand(name: string, definition: { numberOfKeys?: number; lua: string }): unknown;
  ping(): Promise<string>;
}

/** Options of {@link createRateLimit}. Every field is optional. */
export interface RateLimitOptions {
  /** `false` installs nothing (no per-request work); the health check then always passes. Default true. */
  enabled?: boolean;
  /** API-wide quota per client, sent as the `"default"` policy. Default 100. */
  points?: number;
  /** API-wide window in seconds. Default 60. */
  durationSeconds?: number;
  /**
   * Named quotas a route picks with `policy: { rateLimit: 'name' }`; each has
   * its own counters. Names: `[A-Za-z0-9_.-]{1,64}`, not `default`.
   */
  policies?: Readonly<Record<string, RateLimitPolicy>>;
  /**
   * Share the counters through Redis (an ioredis client) so every instance
   * enforces one limit. Default: in-process memory.
   */
  redis?: RateLimitRedisLike;
  /** Prefix of the Redis keys; instances that share a limit must share it. Default `plinth-rl`. */
  keyPrefix?: string;
  /**
   * A Redis answer slower than this (ms) is abandoned and the request is
   * counted by the per-instance fallback limiter. 1 to 10000. Default 200.
   */
  redisTimeoutMs?: number;
  /** Count `/health/*`, `/openapi.json` and `/docs` too. Default false (exempt). */
  limitSystemRoutes?: boolean;
  /** Anonymous IPv6 clients are counted per network of this prefix length, 32 to 128. Default 64. */
  ipv6Prefix?: number;
  /** Store outage and recovery lines (one each, never per request). Default: the adapter's logger. */
  logger?: LoggerLike;
}

/** The options with defaults applied. */
export interface ResolvedRateLimitOptions {
  readonly enabled: boolean;
  readonly policies: ReadonlyMap<string, RateLimitPolicy>;
  readonly redis: RateLimitRedisLike | undefined;
  readonly keyPrefix: string;
  readonly redisTimeoutMs: number;
  readonly limitSystemRoutes: boolean;
  readonly ipv6Prefix: number;
  readonly logger: LoggerLike | undefined;
}

/** Name of the API-wide policy in the response headers and Redis keys. */
export const DEFAULT_POLICY = 'default';

const KEY_PREFIX = /^[A-Za-z0-9_.:-]{1,64}$/;
const isIntIn = (n: unknown, min: number, max: number) =>
  Number.isInteger(n) && (n as number) >= min && (n as number) <= max;

function checkPolicy(add: (path: string, message: string) => void, path: string, p: unknown) {
  const { points, durationSeconds } = (p ?? {}) as Partial<RateLimitPolicy>;
  if (!isIntIn(points, 1, 1e9)) add(`${path}points`, 'must be an integer from 1 to 1000000000');
  if (!isIntIn(durationSeconds, 1, 2_592_000))
    add(`${path}durationSeconds`, 'must be a whole number of seconds from 1 to 2592000');
}

/** Check every option and report all problems at once (`INVALID_OPTIONS`). */
export function resolveRateLimitOptions(input: RateLimitOptions = {}): ResolvedRateLimitOptions {
  const o = requireOptionsObject(input, 'http-adapters rateLimit');
  const issues: OptionIssue[] = [];
  const add = (path: string, message: string) => issues.push({ path, message, code: 'invalid' });
  const base = { points: o.points ?? 100, durationSeconds: o.durationSeconds ?? 60 };
  checkPolicy(add, '', base);
  const policies = new Map<string, RateLimitPolicy>([[DEFAULT_POLICY, base]]);
  for (const [name, policy] of Object.entries(o.policies ?? {})) {
    if (!POLICY_NAME.test(name) || name === DEFAULT_POLICY)
      add(
        `policies.${name.slice(0, 64)}`,
        'name must match [A-Za-z0-9_.-]{1,64} and not be default',
      );
    checkPolicy(add, `policies.${name.slice(0, 64)}.`, policy);
    policies.set(name, { points: policy?.points, durationSeconds: policy?.durationSeconds });
  }
  const redis = o.redis;
  if (
    redis !== undefined &&
    (typeof redis?.defineCommand !== 'function' ||
      typeof redis.ping !== 'function' ||
      typeof redis.status !== 'string')
  )
    add('redis', 'must be an ioredis client (status, defineCommand and ping)');
  const keyPrefix = o.keyPrefix ?? 'plinth-rl';
  if (typeof keyPrefix !== 'string' || !KEY_PREFIX.test(keyPrefix))
    add('keyPrefix', 'must match [A-Za-z0-9_.:-]{1,64}');
  const redisTimeoutMs = o.redisTimeoutMs ?? 200;
  if (!isIntIn(redisTimeoutMs, 1, 10_000))
    add('redisTimeoutMs', 'must be an integer number of milliseconds from 1 to 10000');
  const ipv6Prefix = o.ipv6Prefix ?? 64;
  if (!isIntIn(ipv6Prefix, 32, 128)) add('ipv6Prefix', 'must be an integer from 32 to 128');
  if (o.logger !== undefined && !isLoggerLike(o.logger))
    add('logger', 'must have error, warn and info methods');
  for (const flag of ['enabled', 'limitSystemRoutes'] as const)
    if (o[flag] !== undefined && typeof o[flag] !== 'boolean') add(flag, 'must be a boolean');
  if (issues.length > 0) throw invalidOptions('http-adapters rateLimit', issues);
  return {
    enabled: o.enabled !== false,
    policies,
    redis,
    keyPrefix,
    redisTimeoutMs,
    limitSystemRoutes: o.limitSystemRoutes === true,
    ipv6Prefix,
    logger: o.logger,
  };
}

/** The rate-limit field of a route's `policy`. */
export interface RateLimitRoutePolicy {
  /** A policy name given to `createRateLimit({ policies })`, or `false` to exempt the route. Default: the API-wide quota. */
  rateLimit?: string | false;
}
