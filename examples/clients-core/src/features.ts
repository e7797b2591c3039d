import { createAuditEventsFeature } from './audit-events/index.js';
import { createAuthFeature } from './auth/index.js';
import { createClientsFeature } from './clients/index.js';
import type { AppDeps, Feature } from './deps.js';
import { createDocumentsFeature } from './documents/index.js';

/** Every feature of the service, in the order their routes are mounted. */
export const FEATURES: readonly ((deps: AppDeps) => Feature)[] = [
  createAuthFeature,
  createClientsFeature,
  createDocumentsFeature,
  createAuditEventsFeature,
];
