import { fileURLToPath } from 'node:url';
import type { AuditMaintenance } from '@plinth/audit';
import { type Database, migrate } from '@plinth/db-repository';
import type { Logger } from '@plinth/logging';
import type { ClientsConfig } from './config.js';
import { createAppDeps } from './deps.js';

/** The `migrations/` folder of this package (one level above both `src/` and `dist/`). */
export const migrationsDirectory = (): string =>
  fileURLToPath(new URL('../migrations/', import.meta.url));

/**
 * Applies the service's migrations, then the audit log's own (separate
 * bookkeeping table) and its partitions. Both run under an advisory lock, so
 * instances starting together migrate exactly once.
 *
 * @example
 * ```ts
 * const applied = await runMigrations(deps.db, deps.auditMaintenance, deps.logger);
 * ```
 */
export async function runMigrations(
  db: Database,
  audit: AuditMaintenance,
  logger: Logger,
): Promise<string[]> {
  const service = await migrate(db, { directory: migrationsDirectory(), logger });
  const auditResult = await audit.migrate();
  const applied = [...service.applied, ...auditResult.applied.map((name) => `audit/${name}`)];
  logger.info({ applied, alreadyApplied: service.alreadyApplied }, 'migrations done');
  return applied;
}

/**
 * The `migrate` script of both services: loads the configuration, applies
 * every pending migration, closes the pool.
 *
 * @example
 * ```ts
 * await migrateClientsDatabase(await loadClientsConfig());
 * ```
 */
export async function migrateClientsDatabase(config: ClientsConfig): Promise<string[]> {
  const deps = createAppDeps(config);
  try {
    return await runMigrations(deps.db, deps.auditMaintenance, deps.logger);
  } finally {
    await deps.close();
  }
}
