import { InternalError, invalidOptions } from '@plinth/errors';
import type { Database } from './database-types.js';
import { quoteQualified } from './identifier.js';
import { sql } from './sql.js';

interface RlsRow {
  table: string;
  found: boolean;
  enabled: boolean | null;
  forced: boolean | null;
  isOwner: boolean | null;
  superuser: boolean;
  bypassRls: boolean;
}

/**
 * Startup check for row-level security: each table exists with RLS enabled,
 * and the current role does not own it, is not a superuser and lacks
 * BYPASSRLS (any of which would silently disable the policies). Throws an
 * InternalError `RLS_MISCONFIGURED` listing every problem.
 *
 * @example
 * ```ts
 * import { verifyRowLevelSecurity } from '@plinth/db-repository';
 *
 * await verifyRowLevelSecurity(db, ['clients', 'audit_events']);
 * ```
 */
export async function verifyRowLevelSecurity(
  db: Database,
  tables: readonly string[],
): Promise<void> {
  if (
    !Array.isArray(tables) ||
    tables.length === 0 ||
    !tables.every((t) => quoteQualified(t, 2) !== undefined)
  )
    throw invalidOptions(
      'verifyRowLevelSecurity',
      'tables must be a non-empty list of table names',
    );
  const rows = await db.many<RlsRow>(sql`
    SELECT t.name AS "table", c.oid IS NOT NULL AS "found",
           c.relrowsecurity AS "enabled", c.relforcerowsecurity AS "forced",
           pg_has_role(current_user, c.relowner, 'MEMBER') AS "isOwner",
           r.rolsuper AS "superuser", r.rolbypassrls AS "bypassRls"
      FROM unnest(${tables}::text[]) AS t(name)
      CROSS JOIN pg_roles r
      LEFT JOIN pg_class c ON c.oid = to_regclass(t.name)
     WHERE r.rolname = current_user`);
  const problems: string[] = [];
  for (const row of rows) {
    if (!row.found) problems.push(`${row.table}: table not found`);
    else {
      if (!row.enabled) problems.push(`${row.table}: row level security is not enabled`);
      if (row.isOwner)
        problems.push(`${row.table}: the runtime role owns the table (owners bypass policies)`);
    }
  }
  if (rows[0]?.superuser) problems.push('the runtime role is a superuser');
  if (rows[0]?.bypassRls) problems.push('the runtime role has BYPASSRLS');
  if (problems.length > 0) {
    throw new InternalError('Row-level security is not in force for the runtime role', {
      code: 'RLS_MISCONFIGURED',
      context: { problems },
    });
  }
}
