import { sql } from '@plinth/db-repository';
import type { AuditOutcome, StoredAuditRow } from './types.js';

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
    tenantId: r.tenant_id as string,
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
