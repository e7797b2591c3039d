import { invalidOptions, requireOptionsObject } from '@plinth/errors';
import { parseJsonObject } from '../canonical-json.js';
import { checkTenantId } from '../chain.js';
import { computeEventHash, GENESIS_HASH } from '../hash.js';
import type { StoredAuditRow } from '../types.js';
import {
  type ArchiveDigest,
  checkVerifiers,
  type DigestVerifier,
  sha256Hex,
  verifyDigestSignature,
} from './digest.js';
import { archiveKeys } from './layout.js';
import { getBytes, listKeys, type S3ClientLike, s3TargetIssues } from './s3-io.js';

/** Why an archive did not verify. */
export type ArchiveFailure =
  | 'digest-unreadable'
  | 'digest-signature'
  | 'digest-chain'
  | 'segment-missing'
  | 'segment-hash'
  | 'row-hash'
  | 'row-link'
  | 'seq-gap';

/** Result of {@link verifyArchive}. */
export interface ArchiveVerifyResult {
  ok: boolean;
  /** Digests (segments) checked. */
  segments: number;
  /** Events checked. */
  events: number;
  /** Object key where verification stopped; `null` when ok. */
  badKey: string | null;
  firstBadSeq: number | null;
  reason: ArchiveFailure | null;
}

/** Options of {@link verifyArchive}. */
export interface VerifyArchiveOptions {
  client: S3ClientLike;
  bucket: string;
  /** Key prefix used when archiving. Default `audit`. */
  prefix?: string;
  /** The archived chain; `null` for the no-tenant chain. */
  tenantId: string | null;
  /** Keys that may have signed digests (several during rotation). */
  verifiers: readonly DigestVerifier[];
}

/**
 * Checks one chain's archive end to end: every digest's signature, the digest chain
 * (`previousDigestSha256` = SHA-256 of the previous digest object), each segment's
 * SHA-256, and inside each segment every row's hash, `prev_hash` link and seq
 * continuity, across segment boundaries too.
 *
 * @example
 * ```ts
 * import { verifyArchive } from '@plinth/audit/s3';
 *
 * const r = await verifyArchive({ client, bucket: 'audit', tenantId: 't1', verifiers: [{ algorithm: 'ed25519', keyId: 'a1', publicKey }] });
 * if (!r.ok) alert(`audit archive broken at ${r.badKey}: ${r.reason}`);
 * ```
 */
export async function verifyArchive(options: VerifyArchiveOptions): Promise<ArchiveVerifyResult> {
  // An unset tenant would list an empty prefix and report an empty archive as sound.
  requireOptionsObject(options, 'verifyArchive', 'client, bucket, tenantId and verifiers');
  checkTenantId('verifyArchive', options.tenantId);
  const { client, bucket, tenantId } = options;
  const issues = s3TargetIssues(options);
  if (issues.length > 0) throw invalidOptions('verifyArchive', issues);
  const verifiers = checkVerifiers('verifyArchive', options.verifiers);
  const keys = archiveKeys(options.prefix ?? 'audit', tenantId);
  let segments = 0;
  let events = 0;
  const fail = (badKey: string, reason: ArchiveFailure, firstBadSeq: number | null = null) =>
    ({ ok: false, segments, events, badKey, firstBadSeq, reason }) as ArchiveVerifyResult;
  let prevDigestKey: string | null = null;
  let prevDigestSha: string | null = null;
  let prevHash: string | null = null;
  let expected: number | null = null;

  for (const key of await listKeys(client, bucket, keys.digests)) {
    const bytes = await getBytes(client, bucket, key);
    const digest = parseJsonObject<ArchiveDigest>(String(bytes ?? ''));
    if (!digest) return fail(key, 'digest-unreadable');
    if (!verifyDigestSignature(digest, verifiers) || digest.tenantId !== tenantId)
      return fail(key, 'digest-signature');
    if (digest.previousDigestKey !== prevDigestKey || digest.previousDigestSha256 !== prevDigestSha)
      return fail(key, 'digest-chain', digest.fromSeq);
    const segment = await getBytes(client, bucket, digest.segmentKey);
    if (!segment) return fail(digest.segmentKey, 'segment-missing', digest.fromSeq);
    if (sha256Hex(segment) !== digest.segmentSha256)
      return fail(digest.segmentKey, 'segment-hash', digest.fromSeq);

    expected ??= digest.fromSeq;
    prevHash ??= digest.fromSeq === 1 ? GENESIS_HASH : digest.firstPrevHash;
    const lines = segment
      .toString('utf8')
      .split('\n')
      .filter((l) => l.length > 0);
    for (const line of lines) {
      const row = parseJsonObject<StoredAuditRow>(line);
      if (!row) return fail(digest.segmentKey, 'row-hash', expected);
      if (row.seq !== expected || row.tenantId !== tenantId)
        return fail(digest.segmentKey, 'seq-gap', expected);
      if (computeEventHash(row) !== row.hash) return fail(digest.segmentKey, 'row-hash', row.seq);
      if (row.prevHash !== prevHash) return fail(digest.segmentKey, 'row-link', row.seq);
      prevHash = row.hash;
      expected++;
      events++;
    }
    if (expected - 1 !== digest.toSeq || prevHash !== digest.lastHash)
      return fail(digest.segmentKey, 'seq-gap', expected);
    segments++;
    prevDigestKey = key;
    prevDigestSha = sha256Hex(bytes!);
  }
  return { ok: true, segments, events, badKey: null, firstBadSeq: null, reason: null };
}
