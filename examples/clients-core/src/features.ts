import { createAuditEventsFeature } from './audit-events/index.js';
import { createClientsFeature } from './clients/index.js';
import type { AppDeps, Feature } from './deps.js';

/** Every feature of the service, in the order their routes are mounted. */
export function createFeatures(deps: AppDeps): Feature[] {
  return [createClientsFeature(deps), createAuditEventsFeature(deps)];
}
