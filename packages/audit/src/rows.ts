import { type Database, sql } from '@plinth/db-repository';
import { tenantOf } from './chain.js';
import type { StoredAuditRow } from './types.js';

const PAGE = 2_000;

/** Stored columns in hash order, `hash` last; each field is the camelCase of its column. */
export const COLUMNS = `tenant_id seq id occurred_at recorded_at action outcome actor_id actor_type
  resource_type resource_id correlation_id request_id ip user_agent metadata sensitive prev_hash
  hash`.split(/\s+/);

/** `StoredAuditRow` field of each column, in {@link COLUMNS} order. */
export const FIELDS = COLUMNS.map(
  (c) => c.replace(/_([a-z])/g, (_, l: string) => l.toUpperCase()) as keyof StoredAuditRow,
);

/** Every stored column, timestamps as the exact ISO text that was hashed. */
export const ROW_COLUMNS = sql.unsafe(
  COLUMNS.map((c) =>
    c.endsWith('_at')
      ? `to_char(${c} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS ${c}`
      : c,
  ).join(', '),
);

/** A database row as selected with {@link ROW_COLUMNS}. */
export type DbRow = Record<string, string | null>;

/** Maps a selected row to its stored form. */
export function fromDb(r: DbRow): StoredAuditRow {
  const row: Record<string, unknown> = {};
  for (let i = 0; i < COLUMNS.length; i++) row[FIELDS[i]!] = r[COLUMNS[i]!] ?? null;
  row.tenantId = tenantOf(r.tenant_id as string);
  row.seq = Number(r.seq);
  return row as unknown as StoredAuditRow;
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
