import type { Database, SqlQuery } from '@plinth/db-repository';
import { escapeLike, sql } from '@plinth/db-repository';
import { invalidOptions } from '@plinth/errors';
import { chainKey, readChain } from './chain.js';
import { AUDIT_DEFAULTS } from './defaults.js';
import { Issues } from './errors.js';
import type { AuditCipher } from './log-types.js';
import { sensitiveContext } from './prepare-event.js';
import { type DbRow, fromDb, ROW_COLUMNS } from './rows.js';
import { ACTION, isPlainText, TYPE_NAME, toDate } from './text-rules.js';
import type { AuditPage, AuditQuery, AuditRecord, StoredAuditRow } from './types.js';

const OUTCOMES = new Set(['success', 'failure', 'denied']);
const CURSOR = /^(asc|desc):([1-9][0-9]{0,15})$/;

function encodeCursor(order: string, seq: number): string {
  return Buffer.from(`${order}:${seq}`).toString('base64url');
}

function decodeCursor(cursor: unknown): { order: string; seq: number } | undefined {
  if (typeof cursor !== 'string' || cursor.length > 64) return undefined;
  const m = CURSOR.exec(Buffer.from(cursor, 'base64url').toString('utf8'));
  return m ? { order: m[1]!, seq: Number(m[2]) } : undefined;
}

function toRecord(
  row: StoredAuditRow,
  cipher: AuditCipher | undefined,
  decrypt: boolean,
): AuditRecord {
  const record: AuditRecord = {
    id: row.id,
    tenantId: row.tenantId,
    seq: row.seq,
    action: row.action,
    outcome: row.outcome,
    actor: row.actorId === null ? null : { id: row.actorId, type: row.actorType ?? 'unknown' },
    resource:
      row.resourceType === null ? null : { type: row.resourceType, id: row.resourceId ?? '' },
    correlationId: row.correlationId,
    requestId: row.requestId,
    ip: row.ip,
    userAgent: row.userAgent,
    metadata: row.metadata === null ? null : (JSON.parse(row.metadata) as Record<string, unknown>),
    hasSensitive: row.sensitive !== null,
    occurredAt: new Date(row.occurredAt),
    recordedAt: new Date(row.recordedAt),
    prevHash: row.prevHash,
    hash: row.hash,
  };
  if (decrypt && row.sensitive !== null) {
    if (!cipher)
      throw invalidOptions(
        'query',
        { path: 'decrypt', message: 'needs createAuditLog({ cipher })' },
        { code: 'AUDIT_CIPHER_MISSING' },
      );
    record.sensitive = JSON.parse(
      cipher.decrypt(row.sensitive, sensitiveContext(row.id, chainKey(row.tenantId))),
    ) as Record<string, unknown>;
  }
  return record;
}

/** `query()`: one chain (fail-closed, see `readChain`), optional filters, keyset pagination on `seq`. */
export async function queryEvents(
  db: Database,
  cipher: AuditCipher | undefined,
  f: AuditQuery,
): Promise<AuditPage> {
  const where: SqlQuery[] = [sql`tenant_id = ${readChain('query', f.tenantId)}`];
  const issues = new Issues();
  if (f.actorId !== undefined) {
    if (!isPlainText(f.actorId, 256)) issues.add('actorId', 'must be 1-256 characters');
    where.push(sql`actor_id = ${f.actorId}`);
  }
  if (f.action !== undefined) {
    const prefix = typeof f.action === 'string' && f.action.endsWith('.*');
    const base = prefix ? f.action.slice(0, -2) : f.action;
    if (
      typeof base !== 'string' ||
      !(ACTION.test(base) || (prefix && /^[a-z][a-z0-9_]*$/.test(base)))
    )
      issues.add('action', "must be an action like 'client.created' or a prefix like 'client.*'");
    else if (prefix) where.push(sql`action LIKE ${`${escapeLike(base)}.%`}`);
    else where.push(sql`action = ${base}`);
  }
  if (f.resourceType !== undefined) {
    if (!TYPE_NAME.test(String(f.resourceType)))
      issues.add('resourceType', 'must match [A-Za-z][A-Za-z0-9_.-]{0,63}');
    where.push(sql`resource_type = ${String(f.resourceType)}`);
  }
  if (f.resourceId !== undefined) {
    const rid = String(f.resourceId);
    if (!isPlainText(rid, 256)) issues.add('resourceId', 'must be 1-256 characters');
    where.push(sql`resource_id = ${rid}`);
  }
  if (f.outcome !== undefined) {
    if (!OUTCOMES.has(f.outcome))
      issues.add('outcome', 'must be success, failure or denied', 'invalid_enum');
    where.push(sql`outcome = ${String(f.outcome)}`);
  }
  for (const [key, op] of [
    ['from', '>='],
    ['to', '<'],
  ] as const) {
    if (f[key] === undefined) continue;
    const d = toDate(f[key]);
    if (!d) issues.add(key, 'must be a valid date', 'invalid_date');
    else where.push(sql`occurred_at ${sql.unsafe(op)} ${d.toISOString()}::timestamptz`);
  }
  const order = f.order ?? 'desc';
  if (order !== 'asc' && order !== 'desc')
    issues.add('order', 'must be asc or desc', 'invalid_enum');
  const { queryLimit, queryMaxLimit: max } = AUDIT_DEFAULTS;
  const limit = f.limit ?? queryLimit;
  if (!Number.isInteger(limit) || limit < 1 || limit > max)
    issues.add('limit', `must be an integer from 1 to ${max}`, 'invalid_range');
  if (f.cursor !== undefined) {
    const c = decodeCursor(f.cursor);
    if (!c || c.order !== order)
      issues.add('cursor', 'is not a cursor of this query', 'invalid_cursor');
    else where.push(order === 'desc' ? sql`seq < ${c.seq}` : sql`seq > ${c.seq}`);
  }
  issues.throwIfAny('audit query', 'AUDIT_QUERY_INVALID');

  const rows = await db.many<DbRow>(sql`
    SELECT ${ROW_COLUMNS} FROM audit_events WHERE ${sql.join(where, sql` AND `)}
    ORDER BY seq ${sql.unsafe(order === 'desc' ? 'DESC' : 'ASC')} LIMIT ${limit + 1}`);
  const more = rows.length > limit;
  const items = rows
    .slice(0, limit)
    .map((r) => toRecord(fromDb(r), f.decrypt === true ? cipher : undefined, f.decrypt === true));
  const last = items[items.length - 1];
  return { items, nextCursor: more && last ? encodeCursor(order, last.seq) : null };
}
