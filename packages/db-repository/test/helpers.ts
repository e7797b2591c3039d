import { createTestDatabase, type TestDatabaseOptions } from '@plinth/db-repository/testing';

/** True when no DATABASE_URL is set and tests run on embedded PostgreSQL. */
export const embedded = !process.env.DATABASE_URL;

/** A test database on its own schema; with a logger that records every line. */
export async function setupDb(prefix: string, database: TestDatabaseOptions['database'] = {}) {
  const lines: { level: string; obj: Record<string, unknown>; msg?: string }[] = [];
  const logger = {
    error: (obj: object, msg?: string) =>
      lines.push({ level: 'error', obj: obj as Record<string, unknown>, msg }),
    warn: (obj: object, msg?: string) =>
      lines.push({ level: 'warn', obj: obj as Record<string, unknown>, msg }),
    info: (obj: object, msg?: string) =>
      lines.push({ level: 'info', obj: obj as Record<string, unknown>, msg }),
  };
  const t = await createTestDatabase({ schemaPrefix: prefix, database: { logger, ...database } });
  return { ...t, lines };
}
