import type {
  AuditLog,
  AuditLogOptions,
  AuditQuery,
  ChainSelector,
  VerifyRange,
} from '@plinth/audit';
import { createAuditLog } from '@plinth/audit';
import { runJob } from '@plinth/context';
import { createFieldCipher, createKeyring } from '@plinth/crypto';
import { sql } from '@plinth/db-repository';
import { createTestDatabase } from '@plinth/db-repository/testing';
import pg from 'pg';

/** True when no DATABASE_URL is set and the tests run on embedded PostgreSQL. */
export const embedded = !process.env.DATABASE_URL;
/** Reason shown for tests that need a real server. */
export const NEEDS_SERVER =
  'needs a real PostgreSQL server (DATABASE_URL unset: embedded fallback)';

export const cipher = createFieldCipher({
  keyring: createKeyring([{ id: 'k1', key: Buffer.alloc(32, 7), status: 'primary' }]),
});

/** A test database on its own schema with the audit schema migrated, and a log on it. */
export async function setupAudit(prefix: string, options: Partial<AuditLogOptions> = {}) {
  const t = await createTestDatabase({ schemaPrefix: prefix });
  const audit = createAuditLog({ db: t.db, cipher, ...options });
  await audit.maintenance.migrate();
  /** A raw client on the same schema (admin work: disabling triggers, raw checks). */
  async function admin<T>(fn: (c: pg.Client) => Promise<T>): Promise<T> {
    if (t.embedded) {
      // The embedded server is one session: go through the database itself.
      const client = {
        query: (text: string) => t.db.query(sql.unsafe(text)),
      } as unknown as pg.Client;
      return fn(client);
    }
    const c = new pg.Client({ connectionString: t.connectionString });
    await c.connect();
    try {
      await c.query(`SET search_path TO "${t.schema}", public`);
      return await fn(c);
    } finally {
      await c.end();
    }
  }
  return { ...t, audit, sys: systemView(audit), admin };
}

/** Runs `fn` in a system context (`runJob`), where a read may name the chain it reads. */
export const asSystem = <T>(fn: () => T): T => runJob('audit-test', fn);

/** The reads of `audit` called from a system context, as a scheduled job would. */
export function systemView(audit: AuditLog) {
  return {
    query: (filter?: AuditQuery) => asSystem(() => audit.reader.query(filter)),
    verify: (range?: VerifyRange) => asSystem(() => audit.reader.verify(range)),
    head: (chain?: ChainSelector) => asSystem(() => audit.maintenance.head(chain)),
    readRange: (range: Parameters<AuditLog['maintenance']['readRange']>[0]) =>
      asSystem(() => audit.maintenance.readRange(range)),
  };
}

export const event = (n: number, extra: Record<string, unknown> = {}) => ({
  action: 'client.updated',
  outcome: 'success' as const,
  tenantId: 't1',
  actor: { id: 'u1', type: 'user' },
  resource: { type: 'client', id: `c${n}` },
  metadata: { n },
  ...extra,
});
