import type { ServiceInfo } from '@plinth/internal';
import { type HealthOptions, resolveHealthOptions } from './options.js';
import { createProbe, type Probe } from './probe.js';
import { buildResponse, shuttingDownResponse } from './response.js';
import type { ResolvedCheck } from './run-check.js';
import type { ComponentResult, HealthResponse } from './types.js';

/** Liveness and readiness probes; create with {@link createHealth}. */
export interface Health {
  /** Liveness: runs `liveChecks` only; stays `pass` during shutdown. */
  live(): Promise<HealthResponse>;
  /** Readiness: runs `checks`; `fail` (503) at once and without running checks once shutdown began. */
  ready(): Promise<HealthResponse>;
  /** Marks the service as shutting down: readiness fails from now on. Idempotent. */
  beginShutdown(): void;
  /** Whether {@link Health.beginShutdown} was called. */
  readonly shuttingDown: boolean;
}

/** Where {@link createHealthHandler} finds a probe's cached response without a promise. */
export const PEEK: unique symbol = Symbol('plinth.health.peek');
type Peek = () => HealthResponse | undefined;

function memoised(probe: Probe, checks: readonly ResolvedCheck[], service?: ServiceInfo) {
  let cached: { version: number; response: HealthResponse } | undefined;
  const respond = (results: readonly ComponentResult[]): HealthResponse => {
    // Same results as last time → same response object, so serialisation can be memoised too.
    if (cached !== undefined && cached.version === probe.version) return cached.response;
    const response = buildResponse(service, checks, results);
    cached = { version: probe.version, response };
    return response;
  };
  const peek: Peek = () => {
    const now = probe.peek();
    return now === undefined ? undefined : respond(now);
  };
  const run = (): Promise<HealthResponse> => {
    const now = peek();
    return now === undefined ? probe.evaluate().then(respond) : Promise.resolve(now);
  };
  return { run, peek };
}

/**
 * Creates liveness/readiness probes that answer in the `application/health+json`
 * format. Checks run in parallel, each bounded by its own deadline; a
 * non-critical failure degrades to `warn`; a check that throws is a `fail`.
 *
 * @example
 * ```ts
 * import { createHealth, postgresCheck, redisCheck } from '@plinth/health';
 *
 * const health = createHealth({
 *   checks: { postgres: postgresCheck(pool), cache: { ...redisCheck(redis), critical: false } },
 *   timeoutMs: 500,
 *   cacheMs: 2000,
 *   service: { name: 'clients-api', version: process.env.GIT_SHA ?? 'dev' },
 * });
 * const { httpStatus, headers, body } = await health.ready();
 * ```
 */
export function createHealth(options?: HealthOptions): Health {
  const { ready, live, cacheMs, service } = resolveHealthOptions(options);
  const readiness = memoised(createProbe(ready, cacheMs), ready, service);
  const liveness = memoised(createProbe(live, cacheMs), live, service);
  const draining = shuttingDownResponse(service);
  let shuttingDown = false;
  return {
    live: liveness.run,
    ready: () => (shuttingDown ? Promise.resolve(draining) : readiness.run()),
    beginShutdown() {
      shuttingDown = true;
    },
    get shuttingDown() {
      return shuttingDown;
    },
    [PEEK]: {
      live: liveness.peek,
      ready: () => (shuttingDown ? draining : readiness.peek()),
    },
  } as Health;
}
