import type { Database } from '@plinth/db-repository';
import { sql } from '@plinth/db-repository';
import { BusinessRuleError, invalidOptions } from '@plinth/errors';
import { AUDIT_DEFAULTS } from './defaults.js';
import type { AuditPartition } from './log-types.js';

const PARTITION = /^audit_events_(\d{4})_(\d{2})$/;
const DAY_MS = 86_400_000;

/** First instant (UTC) of the month `offset` months after `date`'s month. */
export function monthStart(date: Date, offset = 0): Date {
  return new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + offset, 1));
}

const isDate = (d: unknown): d is Date => d instanceof Date && !Number.isNaN(d.getTime());

/** Creates (if missing) the partitions for `months` months starting at `from`'s month. */
export async function ensurePartitions(
  db: Database,
  from: Date,
  months: number,
): Promise<string[]> {
  const issues = [];
  if (!isDate(from)) issues.push({ path: 'from', message: 'must be a valid Date' });
  if (!Number.isInteger(months) || months < 1 || months > 120)
    issues.push({ path: 'months', message: 'must be an integer from 1 to 120' });
  if (issues.length > 0) throw invalidOptions('ensurePartitions', issues);
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

/**
 * `ensureMonth(at)`: makes sure the partition of `at`'s month (and the months ahead) exists,
 * asking the database once per month and process.
 */
export function monthCache(db: Database): (at: Date) => Promise<void> {
  const ready = new Set<number>();
  return async (at) => {
    if (ready.has(monthStart(at).getTime())) return;
    await ensurePartitions(db, at, 1 + AUDIT_DEFAULTS.partitionsAhead);
    for (let i = 0; i <= AUDIT_DEFAULTS.partitionsAhead; i++)
      ready.add(monthStart(at, i).getTime());
  };
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
  if (!isDate(before)) throw invalidOptions('dropPartitionsBefore', 'before must be a valid Date');
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
