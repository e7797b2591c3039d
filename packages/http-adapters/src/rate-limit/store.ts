import { hash } from 'node:crypto';
import type { CheckDefinition } from '@plinth/health';
import { type LoggerLike, settlesWithin } from '@plinth/internal';
import {
  RateLimiterMemory,
  RateLimiterRedis,
  RateLimiterRes,
  RLWrapperTimeouts,
} from 'rate-limiter-flexible';
import type { RateLimitPolicy, RateLimitRedisLike } from './options.js';

/** Counts one request: resolves when allowed, rejects with a `RateLimiterRes` when over quota. */
export type Consume = (key: string) => Promise<RateLimiterRes>;

/** Where counters live, and how healthy that place is. */
export interface CounterStore {
  counter(name: string, policy: RateLimitPolicy): Consume;
  healthCheck(): CheckDefinition;
  /** `memory`, or `shared` / `fallback` for a Redis store. */
  mode(): 'memory' | 'shared' | 'fallback';
}

/** Counters in this process only. */
export function memoryStore(): CounterStore {
  return {
    counter(name, { points, durationSeconds }) {
      const limiter = new RateLimiterMemory({ points, duration: durationSeconds, keyPrefix: name });
      return (key) => limiter.consume(key);
    },
    healthCheck: () => ({ check: async () => undefined, critical: false }),
    mode: () => 'memory',
  };
}

/** While degraded, repeated outages are announced at most this often. */
const ANNOUNCE_EVERY_MS = 60_000;

/** Rate-limit keys hold principal ids and addresses: Redis only ever sees their hash. */
const hashed = (key: string) => hash('sha256', key, 'base64url').slice(0, 32);

/**
 * Counters shared through Redis (rate-limiter-flexible's atomic Lua
 * increment), each with a per-instance `RateLimiterMemory` as its
 * `insuranceLimiter`. A client that is not `ready` goes to the fallback at
 * once (`rejectIfRedisNotReady`); a command slower than `timeoutMs` is
 * abandoned by `RLWrapperTimeouts`, which then asks the fallback too. The
 * first fallback is logged as a warning, the first shared answer after it as
 * recovered (ADR 0105); the health check reports `warn` in between.
 */
export function redisStore(
  redis: RateLimitRedisLike,
  keyPrefix: string,
  timeoutMs: number,
  log: () => Required<LoggerLike>,
  now: () => number = Date.now,
): CounterStore {
  let degraded = false;
  let announced = false;
  let lastAnnounced = Number.NEGATIVE_INFINITY;
  const fromFallback = new WeakSet<object>();

  const fallBack = () => {
    if (degraded) return;
    degraded = true;
    if (now() - lastAnnounced < ANNOUNCE_EVERY_MS) return;
    announced = true;
    lastAnnounced = now();
    log().warn(
      { event: 'rate_limit.store.fallback', store: 'redis' },
      'Rate limiting falls back to per-instance limits: Redis is unavailable or slow',
    );
  };
  const recover = () => {
    if (!degraded) return;
    degraded = false;
    if (!announced) return;
    announced = false;
    log().info(
      { event: 'rate_limit.store.recovered', store: 'redis' },
      'Rate limiting is shared through Redis again',
    );
  };
  const observe = (res: unknown) => {
    if (res instanceof RateLimiterRes && !fromFallback.has(res)) recover();
  };
  const mark = (res: unknown) => {
    if (typeof res === 'object' && res !== null) fromFallback.add(res);
    return res as RateLimiterRes;
  };

  class Fallback extends RateLimiterMemory {
    override consume(key: string | number, points?: number, options?: Record<string, unknown>) {
      fallBack();
      return super.consume(key, points, options).then(mark, (res: unknown) => {
        throw mark(res);
      });
    }
  }

  return {
    counter(name, { points, durationSeconds }) {
      const prefix = `${keyPrefix}:${name}`;
      const shared = new RateLimiterRedis({
        storeClient: redis,
        points,
        duration: durationSeconds,
        keyPrefix: prefix,
        rejectIfRedisNotReady: true,
      });
      const limiter = new RLWrapperTimeouts({
        limiter: shared,
        timeoutMs,
        insuranceLimiter: new Fallback({ points, duration: durationSeconds, keyPrefix: prefix }),
      });
      return (key) =>
        limiter.consume(hashed(key)).then(
          (res) => {
            observe(res);
            return res;
          },
          (res: unknown) => {
            observe(res);
            throw res;
          },
        );
    },
    healthCheck: () => ({
      critical: false,
      componentType: 'datastore',
      check: async () => {
        if (degraded && redis.status === 'ready') {
          // No traffic may have come since Redis returned: ask it directly.
          let pong: unknown;
          const ping = redis.ping().then((reply) => {
            pong = reply;
          });
          if ((await settlesWithin(ping, timeoutMs)) && pong === 'PONG') recover();
        }
        return degraded
          ? { status: 'warn', output: 'Redis unavailable: rate limits are per instance' }
          : undefined;
      },
    }),
    mode: () => (degraded ? 'fallback' : 'shared'),
  };
}
