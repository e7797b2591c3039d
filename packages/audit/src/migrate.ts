import { fileURLToPath } from 'node:url';

/**
 * Bookkeeping table of the audit schema, separate from the application's own migrations.
 *
 * @example
 * ```ts
 * import { MIGRATIONS_TABLE } from '@plinth/audit';
 *
 * await db.many(sql`SELECT name FROM ${sql.identifier(MIGRATIONS_TABLE)}`);
 * ```
 */
export const MIGRATIONS_TABLE = 'plinth_audit_migrations';

/**
 * The `migrations/` folder shipped in this package. Both `src/*.ts` and `dist/*.{js,cjs}`
 * sit one level below the package root (the CJS build gets `import.meta.url` from tsup's shim).
 * Use it to run the audit migrations from your own tooling instead of `maintenance.migrate()`.
 *
 * @example
 * ```ts
 * import { MIGRATIONS_TABLE, migrationsDirectory } from '@plinth/audit';
 * import { migrate } from '@plinth/db-repository';
 *
 * await migrate(db, { directory: migrationsDirectory(), table: MIGRATIONS_TABLE });
 * ```
 */
export function migrationsDirectory(): string {
  return fileURLToPath(new URL('../migrations/', import.meta.url));
}
