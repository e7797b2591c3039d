import { type Database, sql } from '@plinth/db-repository';
import { tenantOf } from './chain.js';
import type { AuditOutcome, StoredAuditRow } from './types.js';

const PAGE = 2_000;

const iso = (column: string) =>
  `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS ${column}`;

/** Every stored column, timestamps as the exact ISO text that was hashed. */
export const ROW_COLUMNS = sql.unsafe(
  [
    'tenant_id',
    'seq',
    'id',
    iso('occurred_at'),
    iso('recorded_at'),
    'action',
    'outcome',
    'actor_id',
    'actor_type',
    'resource_type',
    'resource_id',
    'correlation_id',
    'request_id',
    'ip',
    'user_agent',
    'metadata',
    'sensitive',
    'prev_hash',
    'hash',
  ].join(', '),
);

/** A database row as selected with {@link ROW_COLUMNS}. */
export type DbRow = Record<string, string | null>;

/** Maps a selected row to its stored form. */
export function fromDb(r: DbRow): StoredAuditRow {
  return {
    tenantId: tenantOf(r.tenant_id as string),
    seq: Number(r.seq),
    id: r.id as string,
    occurredAt: r.occurred_at as string,
    recordedAt: r.recorded_at as string,
    action: r.action as string,
    outcome: r.outcome as AuditOutcome,
    actorId: r.actor_id ?? null,
    actorType: r.actor_type ?? null,
    resourceType: r.resource_type ?? null,
    resourceId: r.resource_id ?? null,
    correlationId: r.correlation_id ?? null,
    requestId: r.request_id ?? null,
    ip: r.ip ?? null,
    userAgent: r.user_agent ?? null,
    metadata: r.metadata ?? null,
    sensitive: r.sensitive ?? null,
    prevHash: r.prev_hash as string,
    hash: r.hash as string,
  };
}

/** The head row of a chain (stored key), or `null` before its first event. */
export function readHead(db: Database, key: string) {
  return db.maybeOne<{ seq: string; hash: string }>(
    sql`SELECT seq, hash FROM audit_chain_heads WHERE tenant_id = ${key}`,
  );
}

/** Rows of one chain with `fromSeq <= seq <= toSeq`, in (seq, hash) order, read page by page. */
export async function* readRows(
  db: Database,
  key: string,
  fromSeq: number,
  toSeq: number,
): AsyncGenerator<StoredAuditRow> {
  let after = sql`seq >= ${fromSeq}`;
  for (;;) {
    const rows = await db.many<DbRow>(sql`
      SELECT ${ROW_COLUMNS} FROM audit_events
      WHERE tenant_id = ${key} AND ${after} AND seq <= ${toSeq}
      ORDER BY seq, hash LIMIT ${PAGE}`);
    for (const r of rows) yield fromDb(r);
    if (rows.length < PAGE) return;
    const last = rows[rows.length - 1]!;
    after = sql`(seq, hash) > (${last.seq}::bigint, ${last.hash})`;
  }
}
