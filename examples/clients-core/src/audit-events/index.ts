import type { AppDeps, Feature } from '../deps.js';
import { auditEventRoutes } from './routes.js';

/**
 * The audit trail, read-only, for admins.
 *
 * @example
 * ```ts
 * const { routes } = createAuditEventsFeature(deps);
 * ```
 */
export function createAuditEventsFeature(deps: AppDeps): Feature {
  return { routes: auditEventRoutes(deps.audit.reader, deps.audit.writer) };
}
