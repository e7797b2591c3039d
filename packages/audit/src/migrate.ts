import { fileURLToPath } from 'node:url';
import type { Database } from '@plinth/db-repository';
import { migrate } from '@plinth/db-repository';

/** Bookkeeping table of the audit schema, separate from the application's own migrations. */
export const MIGRATIONS_TABLE = 'plinth_audit_migrations';

/**
 * The `migrations/` folder shipped in this package. Both `src/*.ts` and `dist/*.{js,cjs}`
 * sit one level below the package root (the CJS build gets `import.meta.url` from tsup's shim).
 */
export function migrationsDirectory(): string {
  return fileURLToPath(new URL('../migrations/', import.meta.url));
}

/** Applies the audit schema migrations through @plinth/db-repository's runner. */
export async function migrateAudit(db: Database): Promise<{ applied: string[] }> {
  const { applied } = await migrate(db, {
    directory: migrationsDirectory(),
    table: MIGRATIONS_TABLE,
  });
  return { applied };
}
