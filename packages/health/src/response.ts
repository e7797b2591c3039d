import type { ServiceInfo } from '@plinth/internal';
import type { ResolvedCheck } from './run-check.js';
import type { ComponentResult, HealthBody, HealthResponse, HealthStatus } from './types.js';

/**
 * Media type of every health response (draft-inadarei-api-health-check).
 *
 * @example
 * ```ts
 * import { HEALTH_CONTENT_TYPE } from '@plinth/health';
 *
 * reply.header('content-type', HEALTH_CONTENT_TYPE);
 * ```
 */
export const HEALTH_CONTENT_TYPE = 'application/health+json';

const HEADERS: Readonly<Record<string, string>> = Object.freeze({
  'content-type': HEALTH_CONTENT_TYPE,
  'cache-control': 'no-store',
});

function worst(results: readonly ComponentResult[]): HealthStatus {
  let status: HealthStatus = 'pass';
  for (const r of results) {
    if (r.status === 'fail') return 'fail';
    if (r.status === 'warn') status = 'warn';
  }
  return status;
}

/** health+json identity fields: `serviceId` ← `name`, `releaseId` ← `version`. */
function serviceFields(service: ServiceInfo | undefined): Omit<HealthBody, 'status'> {
  const out: Omit<HealthBody, 'status'> = {};
  if (service?.version !== undefined) out.releaseId = service.version;
  if (service?.name !== undefined) out.serviceId = service.name;
  return out;
}

/** Assembles the health+json response from component results. */
export function buildResponse(
  service: ServiceInfo | undefined,
  checks: readonly ResolvedCheck[],
  results: readonly ComponentResult[],
): HealthResponse {
  const status = worst(results);
  const body: HealthBody = { status, ...serviceFields(service) };
  if (checks.length > 0) {
    const map: Record<string, ComponentResult[]> = {};
    checks.forEach((check, i) => {
      map[check.key] = [results[i]!];
    });
    body.checks = map;
  }
  return { httpStatus: status === 'fail' ? 503 : 200, headers: HEADERS, body };
}

/** The response readiness gives once shutdown has begun: fail, no checks run. */
export function shuttingDownResponse(service: ServiceInfo | undefined): HealthResponse {
  return {
    httpStatus: 503,
    headers: HEADERS,
    body: { status: 'fail', ...serviceFields(service), output: 'shutting down' },
  };
}
