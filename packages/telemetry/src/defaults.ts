/**
 * Every default of {@link TelemetryOptions}, in one place.
 *
 * @example
 * ```ts
 * import { TELEMETRY_DEFAULTS } from '@plinth/telemetry';
 *
 * console.log(TELEMETRY_DEFAULTS.sampleRatio); // 1
 * ```
 */
export const TELEMETRY_DEFAULTS = Object.freeze({
  sampleRatio: 1,
  enabled: true,
  exportTimeoutMs: 10_000,
  shutdownTimeoutMs: 5_000,
  /** `http` always; the others only when their package is installed. */
  instrumentations: Object.freeze(['http', 'pg', 'express', 'fastify'] as const),
});

/** `deployment.environment.name` (semconv 1.27+; still "incubating", so copied, not imported). */
export const ATTR_DEPLOYMENT_ENVIRONMENT_NAME = 'deployment.environment.name';
