// The suite checks the services' audit trail with the package itself (from source, through
// the @plinth/source condition in vitest.config.ts).
import { createAuditLog } from '@plinth/audit';
import { runJob } from '@plinth/context';
import { createDatabase } from '@plinth/db-repository';
import type { FreshDatabase } from './postgres.js';

/** Distinct resource ids among `ids` that have an audit event with `action`. */
export async function auditedIds(
  db: FreshDatabase,
  action: string,
  ids: readonly string[],
): Promise<Set<string>> {
  if (ids.length === 0) return new Set();
  const r = await db.query<{ resource_id: string }>(
    'SELECT DISTINCT resource_id FROM audit_events WHERE action = $1 AND resource_id = ANY($2::text[])',
    [action, ids],
  );
  return new Set(r.rows.map((row) => row.resource_id));
}

/** Number of audit rows with `action` (duplicates included). */
export async function countAudit(db: FreshDatabase, action: string): Promise<number> {
  const r = await db.query<{ n: string }>(
    'SELECT count(*) AS n FROM audit_events WHERE action = $1',
    [action],
  );
  return Number(r.rows[0]!.n);
}

/** `verify()` of every chain in the database (each tenant's and the no-tenant chain). */
export async function verifyAllChains(db: FreshDatabase) {
  const database = createDatabase({ connectionString: db.url, pool: { max: 2 } });
  try {
    const audit = createAuditLog({ db: database });
    const tenants = await db.query<{ tenant_id: string | null }>(
      'SELECT DISTINCT tenant_id FROM audit_events',
    );
    const results = [];
    for (const { tenant_id } of tenants.rows) {
      const result = await runJob('reliability-verify', () =>
        audit.reader.verify({ tenantId: tenant_id }),
      );
      results.push({ tenantId: tenant_id, ...result });
    }
    await audit.writer.close();
    return results;
  } finally {
    await database.close();
  }
}
