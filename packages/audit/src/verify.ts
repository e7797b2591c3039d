import type { Database } from '@plinth/db-repository';
import { sql } from '@plinth/db-repository';
import { Issues } from './errors.js';
import { computeEventHash, GENESIS_HASH } from './hash.js';
import { type DbRow, fromDb, ROW_COLUMNS } from './rows.js';
import { isPlainText } from './text-rules.js';
import type { StoredAuditRow, VerifyFailure, VerifyRange, VerifyResult } from './types.js';

const PAGE = 2_000;

/** Rows of one tenant with `fromSeq <= seq <= toSeq`, in (seq, hash) order, read page by page. */
export async function* readRows(
  db: Database,
  tenantId: string,
  fromSeq: number,
  toSeq: number,
): AsyncGenerator<StoredAuditRow> {
  let after = sql`seq >= ${fromSeq}`;
  for (;;) {
    const rows = await db.many<DbRow>(sql`
      SELECT ${ROW_COLUMNS} FROM audit_events
      WHERE tenant_id = ${tenantId} AND ${after} AND seq <= ${toSeq}
      ORDER BY seq, hash LIMIT ${PAGE}`);
    for (const r of rows) yield fromDb(r);
    if (rows.length < PAGE) return;
    const last = rows[rows.length - 1]!;
    after = sql`(seq, hash) > (${last.seq}::bigint, ${last.hash})`;
  }
}

const seqOk = (v: unknown) => v === undefined || (Number.isSafeInteger(v) && (v as number) >= 1);

export function checkRange(range: VerifyRange): {
  tenantId: string;
  fromSeq?: number;
  toSeq?: number;
} {
  const issues = new Issues();
  const r = (typeof range === 'object' && range !== null ? range : {}) as VerifyRange;
  if (!isPlainText(r.tenantId, 128)) issues.add('tenantId', 'is required', 'required');
  if (!seqOk(r.fromSeq)) issues.add('fromSeq', 'must be a positive integer', 'invalid_range');
  if (!seqOk(r.toSeq)) issues.add('toSeq', 'must be a positive integer', 'invalid_range');
  if (r.fromSeq !== undefined && r.toSeq !== undefined && r.toSeq < r.fromSeq)
    issues.add('toSeq', 'must not be below fromSeq', 'invalid_range');
  issues.throwIfAny('verify range', 'AUDIT_RANGE_INVALID');
  return r;
}

/**
 * Walks a tenant's chain and reports the first position that does not verify:
 * a missing position (`seq-gap`, a deleted row), a repeated one (`seq-duplicate`, an
 * inserted row), a row whose content or position changed (`hash-mismatch`: modified or
 * reordered), a broken link (`prev-hash-mismatch`), or a tail that disagrees with the chain
 * head (`head-mismatch`: rows appended past the head, or the head moved). Without `fromSeq`
 * the walk starts where retention left the chain (anchored at the recorded link) or at 1
 * (anchored at the genesis hash).
 */
export async function verifyChain(db: Database, range: VerifyRange): Promise<VerifyResult> {
  const { tenantId, fromSeq, toSeq } = checkRange(range);
  // One snapshot for the head and every page of rows: an append committing mid-walk would
  // otherwise show rows past the head read at the start and look like tampering.
  return db.transaction(() => walkChain(db, tenantId, fromSeq, toSeq), {
    isolation: 'repeatable read',
    readOnly: true,
  });
}

async function walkChain(
  db: Database,
  tenantId: string,
  fromSeq: number | undefined,
  toSeq: number | undefined,
): Promise<VerifyResult> {
  const head = await db.maybeOne<{ seq: string; hash: string }>(
    sql`SELECT seq, hash FROM audit_chain_heads WHERE tenant_id = ${tenantId}`,
  );
  const headSeq = head ? Number(head.seq) : 0;
  const mark = await db.maybeOne<{ first_seq: string; prev_hash: string }>(sql`
    SELECT first_seq, prev_hash FROM audit_retention_marks WHERE tenant_id = ${tenantId}
    ORDER BY first_seq DESC LIMIT 1`);
  const start = fromSeq ?? (mark ? Number(mark.first_seq) : 1);
  let prevHash: string | null = null;
  if (start === 1) prevHash = GENESIS_HASH;
  else if (mark && Number(mark.first_seq) === start) prevHash = mark.prev_hash;
  else {
    const before = await db.many<{ hash: string }>(
      sql`SELECT hash FROM audit_events WHERE tenant_id = ${tenantId} AND seq = ${start - 1}`,
    );
    if (before.length === 1) prevHash = before[0]!.hash;
  }
  const end = toSeq ?? Number.MAX_SAFE_INTEGER;
  const fail = (checked: number, seq: number, reason: VerifyFailure): VerifyResult => ({
    ok: false,
    checked,
    firstBadSeq: seq,
    reason,
  });

  let expected = start;
  let checked = 0;
  for await (const row of readRows(db, tenantId, start, end)) {
    if (row.seq < expected) return fail(checked, row.seq, 'seq-duplicate');
    if (row.seq > expected) return fail(checked, expected, 'seq-gap');
    checked++;
    if (computeEventHash(row) !== row.hash) return fail(checked, row.seq, 'hash-mismatch');
    if (prevHash !== null && row.prevHash !== prevHash)
      return fail(checked, row.seq, 'prev-hash-mismatch');
    if (row.seq > headSeq) return fail(checked, row.seq, 'head-mismatch');
    prevHash = row.hash;
    expected++;
  }
  const last = expected - 1;
  const wanted = Math.min(end, headSeq);
  if (last < wanted) return fail(checked, expected, 'seq-gap');
  if (toSeq === undefined && head && last === headSeq && headSeq > 0 && prevHash !== head.hash)
    return fail(checked, headSeq, 'head-mismatch');
  return { ok: true, checked, firstBadSeq: null, reason: null };
}
