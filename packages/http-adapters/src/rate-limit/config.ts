import { bool, duration, int } from '@plinth/config';
import { z } from 'zod';
import type { RateLimitOptions } from './options.js';

/**
 * Rate-limit keys for {@link rateLimitSettings}: the API-wide quota
 * (`RATE_LIMIT_POINTS` requests per `RATE_LIMIT_DURATION_SECONDS`), a switch,
 * and the Redis store's key prefix and timeout (used only when the service
 * passes a Redis client, typically built from its own `REDIS_URL`).
 *
 * @example
 * ```ts
 * import { loadConfig } from '@plinth/config';
 * import { rateLimitFragment, rateLimitSettings } from '@plinth/http-adapters/config';
 * import { z } from 'zod';
 *
 * const config = await loadConfig({ schema: z.object({ ...rateLimitFragment }) });
 * const rateLimit = createRateLimit(rateLimitSettings(config));
 * ```
 */
export const rateLimitFragment = {
  RATE_LIMIT_ENABLED: bool()
    .default(true)
    .describe('Count requests per client and answer 429 over quota; false turns it off.'),
  RATE_LIMIT_POINTS: int({ min: 1, max: 1_000_000_000 })
    .default(100)
    .describe('Requests each client may make per window (API-wide quota).'),
  RATE_LIMIT_DURATION_SECONDS: int({ min: 1, max: 2_592_000 })
    .default(60)
    .describe('Length of the rate-limit window in seconds.'),
  RATE_LIMIT_KEY_PREFIX: z
    .string()
    .regex(/^[A-Za-z0-9_.:-]{1,64}$/, 'must match [A-Za-z0-9_.:-]{1,64}')
    .default('plinth-rl')
    .describe('Prefix of the Redis keys; instances that share a limit use the same one.'),
  RATE_LIMIT_REDIS_TIMEOUT: duration({ min: 1, max: 10_000 })
    .default(200)
    .describe(
      'A slower Redis answer is abandoned and the per-instance fallback counts the request.',
    ),
};

/** The loaded values {@link rateLimitSettings} reads. */
export interface RateLimitConfig {
  readonly RATE_LIMIT_ENABLED: boolean;
  readonly RATE_LIMIT_POINTS: number;
  readonly RATE_LIMIT_DURATION_SECONDS: number;
  readonly RATE_LIMIT_KEY_PREFIX: string;
  readonly RATE_LIMIT_REDIS_TIMEOUT: number;
}

/**
 * `createRateLimit` options from loaded configuration; `extra` adds what
 * configuration cannot hold (the Redis client, named policies, a logger) and
 * wins over the loaded values.
 *
 * @example
 * ```ts
 * import { createRateLimit } from '@plinth/http-adapters';
 * import { rateLimitSettings } from '@plinth/http-adapters/config';
 * import { Redis } from 'ioredis';
 *
 * const rateLimit = createRateLimit(rateLimitSettings(config, { redis: new Redis(config.REDIS_URL) }));
 * ```
 */
export function rateLimitSettings(
  config: RateLimitConfig,
  extra: RateLimitOptions = {},
): RateLimitOptions {
  return {
    enabled: config.RATE_LIMIT_ENABLED,
    points: config.RATE_LIMIT_POINTS,
    durationSeconds: config.RATE_LIMIT_DURATION_SECONDS,
    keyPrefix: config.RATE_LIMIT_KEY_PREFIX,
    redisTimeoutMs: config.RATE_LIMIT_REDIS_TIMEOUT,
    ...extra,
  };
}
