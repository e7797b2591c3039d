import { randomBytes } from 'node:crypto';
import { invalidOptions, type OptionIssueInput, requireOptionsObject } from '@plinth/errors';
import { isLoggerLike, type LoggerLike, MAX_TIMER_MS } from '@plinth/internal';
import type { RateLimitRedisLike } from '../rate-limit/options.js';
import type { LoginAuditWriterLike } from './login-throttle-audit.js';

/** Options of {@link createLoginThrottle}; every default is in {@link LOGIN_THROTTLE_DEFAULTS}. */
export interface LoginThrottleOptions {
  /** Consecutive failures for one account from one address that start a lockout. Default 5. */
  maxConsecutiveFailures?: number;
  /** Failures, and past lockouts, are forgotten this long after the first one. Default 86400 (a day). */
  failureWindowSeconds?: number;
  /** The first lockout; each further one in the window doubles it. Default 60. */
  lockoutSeconds?: number;
  /** The longest lockout. Default 3600. */
  maxLockoutSeconds?: number;
  /** Failures from one address (any account) that close it to logins for a day. Default 100. */
  maxFailuresPerIpPerDay?: number;
  /** IPv6 addresses are counted by their network of this prefix length, 32 to 128. Default 64. */
  ipv6Prefix?: number;
  /**
   * HMAC key (≥ 32 bytes) for store keys and audit ids. Required with `redis`
   * (every instance must derive the same keys); default a random key per
   * process, so memory-store audit ids change on restart.
   */
  hashKey?: string | Uint8Array;
  /**
   * Share the counters through Redis (an ioredis client, the same one the
   * rate limiter takes; never closed here). Default: in-process memory.
   */
  redis?: RateLimitRedisLike;
  /** Prefix of every Redis key; instances that share counters must share it. Default `plinth-login`. */
  keyPrefix?: string;
  /** A Redis call slower than this (ms) is abandoned for the per-instance fallback, 1 to 10000. Default 200. */
  redisTimeoutMs?: number;
  /** Receives `auth.login.failed` and `auth.login.locked` (an `AuditWriter` from `@plinth/audit` fits). Never awaited. */
  audit?: LoginAuditWriterLike;
  /** Store outages and audit writer failures. Default: JSON lines on stderr. */
  logger?: LoggerLike;
}

/**
 * The defaults of {@link LoginThrottleOptions}.
 *
 * @example
 * ```ts
 * import { LOGIN_THROTTLE_DEFAULTS } from '@plinth/http-adapters';
 *
 * console.log(LOGIN_THROTTLE_DEFAULTS.maxConsecutiveFailures); // 5
 * ```
 */
export const LOGIN_THROTTLE_DEFAULTS = Object.freeze({
  maxConsecutiveFailures: 5,
  failureWindowSeconds: 86_400,
  lockoutSeconds: 60,
  maxLockoutSeconds: 3600,
  maxFailuresPerIpPerDay: 100,
  ipv6Prefix: 64,
  keyPrefix: 'plinth-login',
  redisTimeoutMs: 200,
});

/** The per-address day: the window and the closure after the cap. */
export const IP_DAY_SECONDS = 86_400;

/** The memory store expires keys with `setTimeout`, which fires at once past 2^31-1 ms. */
const MAX_SECONDS = Math.floor(MAX_TIMER_MS / 1000);

export type ResolvedLoginThrottleOptions = Required<
  Omit<LoginThrottleOptions, 'redis' | 'audit' | 'logger' | 'hashKey'>
> &
  Pick<LoginThrottleOptions, 'redis' | 'audit' | 'logger'> & { hashKey: Uint8Array };

const isInt = (v: unknown, min: number, max: number) =>
  Number.isInteger(v) && (v as number) >= min && (v as number) <= max;

/** Defaults applied and every mistake reported at once (`INVALID_OPTIONS`); values never named. */
export function resolveLoginThrottleOptions(
  options: LoginThrottleOptions,
): ResolvedLoginThrottleOptions {
  const given = Object.fromEntries(
    Object.entries(requireOptionsObject(options ?? {}, 'loginThrottle')).filter(
      ([, value]) => value !== undefined,
    ),
  ) as LoginThrottleOptions;
  const o = { ...LOGIN_THROTTLE_DEFAULTS, ...given };
  const issues: OptionIssueInput[] = [];
  const add = (path: string, message: string) => issues.push({ path, message });
  const int = (path: keyof typeof LOGIN_THROTTLE_DEFAULTS, min: number, max: number) => {
    if (!isInt(o[path], min, max)) add(path, `must be an integer from ${min} to ${max}`);
  };
  int('maxConsecutiveFailures', 1, 1000);
  int('failureWindowSeconds', 1, MAX_SECONDS);
  int('lockoutSeconds', 1, MAX_SECONDS);
  int('maxLockoutSeconds', 1, MAX_SECONDS);
  int('maxFailuresPerIpPerDay', 1, 1_000_000);
  int('ipv6Prefix', 32, 128);
  int('redisTimeoutMs', 1, 10_000);
  if (isInt(o.lockoutSeconds, 1, MAX_SECONDS) && o.lockoutSeconds > o.maxLockoutSeconds)
    add('maxLockoutSeconds', 'must not be less than lockoutSeconds');
  if (typeof o.keyPrefix !== 'string' || !/^[A-Za-z0-9_.:-]{1,64}$/.test(o.keyPrefix))
    add('keyPrefix', 'must match [A-Za-z0-9_.:-]{1,64}');
  const r = o.redis as Partial<RateLimitRedisLike> | undefined;
  if (
    r !== undefined &&
    (typeof r?.defineCommand !== 'function' ||
      typeof r.ping !== 'function' ||
      typeof r.status !== 'string')
  )
    add('redis', 'must be an ioredis client (status, defineCommand and ping)');
  const key = typeof o.hashKey === 'string' ? new TextEncoder().encode(o.hashKey) : o.hashKey;
  if (key === undefined && r !== undefined)
    add('hashKey', 'is required with redis: every instance must derive the same keys');
  else if (key !== undefined && !(key instanceof Uint8Array && key.byteLength >= 32))
    add('hashKey', 'must be at least 32 bytes');
  if (o.audit !== undefined && typeof o.audit?.record !== 'function')
    add('audit', 'must have a record(event) method');
  if (o.logger !== undefined && !isLoggerLike(o.logger))
    add('logger', 'must have error, warn and info methods');
  if (issues.length > 0) throw invalidOptions('createLoginThrottle', issues);
  return { ...o, hashKey: key ?? randomBytes(32) } as ResolvedLoginThrottleOptions;
}
