import type { AppDeps, Feature } from '../deps.js';
import { createClientRepository } from './repository.js';
import { clientRoutes } from './routes.js';
import { createClientService } from './service.js';

/**
 * The clients registry: repository (SQL, encryption) → service (rules,
 * audit) → routes (HTTP, transactions).
 *
 * @example
 * ```ts
 * const { routes } = createClientsFeature(deps);
 * ```
 */
export function createClientsFeature(deps: AppDeps): Feature {
  const repository = createClientRepository(deps.db, deps.fields, deps.emailIndex);
  const service = createClientService(repository, deps.audit.writer);
  return { routes: clientRoutes(service, deps.db) };
}
