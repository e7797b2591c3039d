import type { Database } from '@plinth/db-repository';
import { sql } from '@plinth/db-repository';
import { invalidOptions, type OptionIssueInput } from '@plinth/errors';
import { readChain } from './chain.js';
import { computeEventHash, GENESIS_HASH } from './hash.js';
import { readHead, readRows } from './rows.js';
import type { VerifyFailure, VerifyRange, VerifyResult } from './types.js';

const seqOk = (v: unknown) => v === undefined || (Number.isSafeInteger(v) && (v as number) >= 1);

/** `fromSeq`/`toSeq` of a range: positive integers in order (a NaN bound would check nothing). */
export function checkSeqs(
  subject: string,
  r: { fromSeq?: number; toSeq?: number },
): { fromSeq?: number; toSeq?: number } {
  const issues: OptionIssueInput[] = [];
  if (!seqOk(r.fromSeq)) issues.push({ path: 'fromSeq', message: 'must be a positive integer' });
  if (!seqOk(r.toSeq)) issues.push({ path: 'toSeq', message: 'must be a positive integer' });
  if (
    issues.length === 0 &&
    r.fromSeq !== undefined &&
    r.toSeq !== undefined &&
    r.toSeq < r.fromSeq
  )
    issues.push({ path: 'toSeq', message: 'must not be below fromSeq' });
  if (issues.length > 0) throw invalidOptions(subject, issues);
  return r;
}

/**
 * Walks a chain and reports the first position that does not verify:
 * a missing position (`seq-gap`, a deleted row), a repeated one (`seq-duplicate`, an
 * inserted row), a row whose content or position changed (`hash-mismatch`: modified or
 * reordered), a broken link (`prev-hash-mismatch`), or a tail that disagrees with the chain
 * head (`head-mismatch`: rows appended past the head, or the head moved). Without `fromSeq`
 * the walk starts where retention left the chain (anchored at the recorded link) or at 1
 * (anchored at the genesis hash).
 */
export async function verifyChain(db: Database, range: VerifyRange): Promise<VerifyResult> {
  const key = readChain('verify', range.tenantId);
  const { fromSeq, toSeq } = checkSeqs('verify', range);
  // One snapshot for the head and every page of rows: an append committing mid-walk would
  // otherwise show rows past the head read at the start and look like tampering.
  return db.transaction(() => walkChain(db, key, fromSeq, toSeq), {
    isolation: 'repeatable read',
    readOnly: true,
  });
}

async function walkChain(
  db: Database,
  key: string,
  fromSeq: number | undefined,
  toSeq: number | undefined,
): Promise<VerifyResult> {
  const head = await readHead(db, key);
  const headSeq = head ? Number(head.seq) : 0;
  const mark = await db.maybeOne<{ first_seq: string; prev_hash: string }>(sql`
    SELECT first_seq, prev_hash FROM audit_retention_marks WHERE tenant_id = ${key}
    ORDER BY first_seq DESC LIMIT 1`);
  const start = fromSeq ?? (mark ? Number(mark.first_seq) : 1);
  let prevHash: string | null = null;
  if (start === 1) prevHash = GENESIS_HASH;
  else if (mark && Number(mark.first_seq) === start) prevHash = mark.prev_hash;
  else {
    const before = await db.many<{ hash: string }>(
      sql`SELECT hash FROM audit_events WHERE tenant_id = ${key} AND seq = ${start - 1}`,
    );
    if (before.length === 1) prevHash = before[0]!.hash;
  }
  const end = toSeq ?? Number.MAX_SAFE_INTEGER;
  const fail = (checked: number, firstBadSeq: number, reason: VerifyFailure) =>
    ({ ok: false, checked, firstBadSeq, reason }) as VerifyResult;

  let expected = start;
  let checked = 0;
  for await (const row of readRows(db, key, start, end)) {
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
