import type { Database } from '@plinth/db-repository';
import { sql } from '@plinth/db-repository';
import { BusinessRuleError } from '@plinth/errors';
import { usageError } from './errors.js';
import type { AuditPartition } from './types.js';

const PARTITION = /^audit_events_(\d{4})_(\d{2})$/;
const DAY_MS = 86_400_000;

/** First instant (UTC) of the month `offset` months after `date`'s month. */
export function monthStart(date: Date, offset = 0): Date {
  return new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + offset, 1));
}

/** Creates (if missing) the partitions for `months` months starting at `from`'s month. */
export async function ensurePartitions(
  db: Database,
  from: Date,
  months: number,
): Promise<string[]> {
  if (!Number.isInteger(months) || months < 1 || months > 120)
    throw usageError('ensurePartitions: months must be an integer from 1 to 120');
  const names: string[] = [];
  for (let i = 0; i < months; i++) {
    const day = monthStart(from, i).toISOString().slice(0, 10);
    const row = await db.one<{ name: string }>(
      sql`SELECT audit_ensure_partition(${day}::date) AS name`,
    );
    names.push(row.name);
  }
  return names;
}

/** Partitions of audit_events in the current schema, oldest first. */
export async function listPartitions(db: Database): Promise<AuditPartition[]> {
  const rows = await db.many<{ name: string }>(sql`
    SELECT c.relname AS name FROM pg_inherits i
    JOIN pg_class c ON c.oid = i.inhrelid
    WHERE i.inhparent = 'audit_events'::regclass ORDER BY c.relname`);
  const out: AuditPartition[] = [];
  for (const { name } of rows) {
    const m = PARTITION.exec(name);
    if (!m) continue;
    const from = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, 1));
    out.push({ name, from, to: monthStart(from, 1) });
  }
  return out;
}

/**
 * Drops whole monthly partitions that end on or before `before`. Refuses (BusinessRuleError
 * `AUDIT_RETENTION_TOO_SHORT`) when `before` is later than now minus `minRetentionDays`, so
 * no call can remove data younger than the configured minimum. Needs the owner role.
 */
export async function dropPartitionsBefore(
  db: Database,
  before: Date,
  minRetentionDays: number,
  now = new Date(),
): Promise<string[]> {
  if (!(before instanceof Date) || Number.isNaN(before.getTime()))
    throw usageError('dropPartitionsBefore: `before` must be a valid Date');
  const newestAllowed = now.getTime() - minRetentionDays * DAY_MS;
  if (before.getTime() > newestAllowed)
    throw new BusinessRuleError(
      `Refusing to drop audit partitions younger than the minimum retention of ${minRetentionDays} days`,
      { code: 'AUDIT_RETENTION_TOO_SHORT', details: { minRetentionDays } },
    );
  const doomed = (await listPartitions(db)).filter((p) => p.to.getTime() <= before.getTime());
  if (doomed.length === 0) return [];
  const keptFrom = doomed[doomed.length - 1]!.to.toISOString();
  // One transaction: the partitions go and the marks that tell verify() where the kept chain
  // starts are written together, or neither happens.
  await db.transaction(async () => {
    await db.query(sql`
      INSERT INTO audit_retention_marks (tenant_id, first_seq, prev_hash)
      SELECT h.tenant_id, COALESCE(k.seq, h.seq + 1), COALESCE(k.prev_hash, h.hash)
      FROM audit_chain_heads h LEFT JOIN LATERAL (
        SELECT e.seq, e.prev_hash FROM audit_events e
        WHERE e.tenant_id = h.tenant_id AND e.recorded_at >= ${keptFrom}::timestamptz
        ORDER BY e.seq LIMIT 1) k ON true`);
    for (const p of doomed) await db.query(sql`DROP TABLE ${sql.identifier(p.name)}`);
  });
  return doomed.map((p) => p.name);
}
