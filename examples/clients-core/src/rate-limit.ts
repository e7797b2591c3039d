import type { CheckDefinition } from '@plinth/health';
import { createRateLimit, type RateLimit } from '@plinth/http-adapters';
import { rateLimitSettings } from '@plinth/http-adapters/config';
import type { AppDeps } from './deps.js';

/**
 * Per-client request quotas from `RATE_LIMIT_*`: counted in Redis when
 * `REDIS_URL` is set (one limit across instances, with a per-instance
 * fallback while Redis is away), in memory otherwise. Its readiness check is
 * non-critical: `warn` while the fallback counts.
 *
 * @example
 * ```ts
 * const { rateLimit, checks } = createRateLimitWiring(deps);
 * ```
 */
export function createRateLimitWiring(deps: AppDeps): {
  rateLimit: RateLimit;
  checks: Record<string, CheckDefinition>;
} {
  const rateLimit = createRateLimit(
    rateLimitSettings(deps.config, {
      logger: deps.logger,
      ...(deps.redis ? { redis: deps.redis } : {}),
    }),
  );
  return { rateLimit, checks: rateLimit.enabled ? { rateLimit: rateLimit.healthCheck() } : {} };
}
