import {
  InternalError,
  invalidOptions,
  type OptionIssueInput,
  requireOptionsObject,
} from '@plinth/errors';
import { computeEventHash, GENESIS_HASH } from '../hash.js';
import type { AuditMaintenance } from '../log-types.js';
import {
  checkSigner,
  checkVerifiers,
  type DigestSigner,
  type DigestVerifier,
  sha256Hex,
  signDigest,
} from './digest.js';
import { archiveKeys } from './layout.js';
import { archiveTampered, trustNewestDigest, verifierOf } from './newest-digest.js';
import { getBytes, listKeys, putBytes, type S3ClientLike, s3TargetIssues } from './s3-io.js';

/** Options of {@link createS3Archive}. */
export interface S3ArchiveOptions {
  /** The log's `maintenance` part. */
  log: Pick<AuditMaintenance, 'head' | 'readRange'>;
  /** An `S3Client` from `@aws-sdk/client-s3`. */
  client: S3ClientLike;
  bucket: string;
  /** Key prefix. Default `audit`. */
  prefix?: string;
  signer: DigestSigner;
  /**
   * Other keys that may have signed the newest digest (after a key rotation). The
   * signer's own key is always accepted. Default `[]`.
   */
  verifiers?: readonly DigestVerifier[];
  /** Object Lock retention written on every object (the bucket must have Object Lock enabled). */
  objectLock?: { mode: 'GOVERNANCE' | 'COMPLIANCE'; retainDays: number };
  /** Largest segment, in events. Default 100,000. */
  maxEvents?: number;
}

/** What one `archive()` call wrote. */
export interface ArchiveResult {
  fromSeq: number;
  toSeq: number;
  events: number;
  segmentKey: string;
  digestKey: string;
}

/** Exports closed ranges of a tenant's chain to S3. */
export interface S3Archive {
  /**
   * Archives one chain's events after the last digest up to `toSeq` (default: the head, capped
   * by `maxEvents`); `null` when there is nothing new. `tenantId: null` archives the no-tenant
   * chain. Runs in a system context (`runJob`/`runCli`), like every read that names a chain.
   */
  archive(options: { tenantId: string | null; toSeq?: number }): Promise<ArchiveResult | null>;
}

const broken = (tenantId: string | null, seq: number) =>
  new InternalError('The audit chain does not verify; run verify() before archiving', {
    code: 'AUDIT_CHAIN_BROKEN',
    context: { tenantId, seq },
  });

/**
 * CloudTrail-style archive: each call writes one JSONL segment (one stored row per line,
 * exactly as hashed) and one signed digest naming the segment's SHA-256, its range and
 * the SHA-256 of the previous digest. The rows are checked (hashes, links) while exported,
 * so a broken chain is never archived as if it were sound.
 *
 * @example
 * ```ts
 * import { createS3Archive } from '@plinth/audit/s3';
 *
 * const archive = createS3Archive({ log: audit.maintenance, client: new S3Client({}), bucket: 'audit-archive',
 *   signer: { algorithm: 'ed25519', keyId: 'a1', privateKey }, objectLock: { mode: 'COMPLIANCE', retainDays: 2555 } });
 * await runJob('audit-archive', () => archive.archive({ tenantId: 't1' }));
 * ```
 */
export function createS3Archive(options: S3ArchiveOptions): S3Archive {
  requireOptionsObject(options, 'createS3Archive', 'log, client, bucket and signer');
  const { log, client, bucket, objectLock: lock, maxEvents = 100_000 } = options;
  const issues: OptionIssueInput[] = [];
  // Shapes a JavaScript caller (or `any`-typed config) can get wrong; checked once, here.
  if (typeof log?.head !== 'function' || typeof log.readRange !== 'function')
    issues.push({ path: 'log', message: "must be the audit log's maintenance part" });
  issues.push(...s3TargetIssues(options));
  if (lock !== undefined && (typeof lock !== 'object' || lock === null))
    issues.push({ path: 'objectLock', message: 'must be { mode, retainDays }' });
  if (issues.length > 0) throw invalidOptions('createS3Archive', issues);
  const signer = checkSigner(options.signer);
  const verifiers = [
    verifierOf(signer),
    ...checkVerifiers('createS3Archive', options.verifiers ?? []),
  ];
  if (!Number.isInteger(maxEvents) || maxEvents < 1 || maxEvents > 1_000_000)
    issues.push({ path: 'maxEvents', message: 'must be an integer from 1 to 1,000,000' });
  // A fraction or NaN would silently shorten (or drop) the retention S3 enforces.
  if (lock && !(Number.isInteger(lock.retainDays) && lock.retainDays >= 1))
    issues.push({
      path: 'objectLock.retainDays',
      message: 'must be a whole number of days, at least 1',
    });
  if (issues.length > 0) throw invalidOptions('createS3Archive', issues);

  const lockHeaders = () =>
    lock
      ? {
          ObjectLockMode: lock.mode,
          ObjectLockRetainUntilDate: new Date(Date.now() + lock.retainDays * 86_400_000),
        }
      : {};

  return {
    async archive(request) {
      const { tenantId, toSeq } = request;
      if (toSeq !== undefined && !(Number.isSafeInteger(toSeq) && toSeq >= 1))
        throw invalidOptions('archive', { path: 'toSeq', message: 'must be a positive integer' });
      // First, so a bad tenant id or a non-system context is refused before any S3 call.
      const head = await log.head({ tenantId });
      const keys = archiveKeys(options.prefix ?? 'audit', tenantId);
      const digests = await listKeys(client, bucket, keys.digests);
      const lastKey = digests[digests.length - 1];
      const lastBytes = lastKey === undefined ? undefined : await getBytes(client, bucket, lastKey);
      // Never chain onto a digest this archive cannot authenticate (ADR 0081).
      const last =
        lastKey === undefined
          ? undefined
          : trustNewestDigest({
              key: lastKey,
              bytes: lastBytes,
              previousKey: digests[digests.length - 2] ?? null,
              expectedKey: keys.digest,
              tenantId,
              verifiers,
              head,
            });
      const fromSeq = last ? last.toSeq + 1 : 1;
      const end = Math.min(toSeq ?? head.seq, head.seq, fromSeq + maxEvents - 1);
      if (end < fromSeq) return null;

      let prevHash = last ? last.lastHash : GENESIS_HASH;
      let expected = fromSeq;
      const lines: string[] = [];
      let firstPrevHash: string | undefined;
      for await (const row of log.readRange({ tenantId, fromSeq, toSeq: end })) {
        if (last && row.seq === fromSeq && row.prevHash !== last.lastHash)
          throw archiveTampered(lastKey!, 'link-mismatch', tenantId);
        if (row.seq !== expected || computeEventHash(row) !== row.hash || row.prevHash !== prevHash)
          throw broken(tenantId, expected);
        firstPrevHash ??= row.prevHash;
        prevHash = row.hash;
        expected++;
        lines.push(JSON.stringify(row));
      }
      if (expected - 1 !== end) throw broken(tenantId, expected);
      const segment = Buffer.from(`${lines.join('\n')}\n`, 'utf8');
      const segmentKey = keys.segment(fromSeq, end);
      await putBytes(client, {
        Bucket: bucket,
        Key: segmentKey,
        Body: segment,
        ContentType: 'application/x-ndjson',
        ...lockHeaders(),
      });
      const digest = signDigest(
        {
          format: 'plinth.audit.digest.v1',
          tenantId,
          fromSeq,
          toSeq: end,
          events: lines.length,
          firstPrevHash: firstPrevHash ?? prevHash,
          lastHash: prevHash,
          segmentKey,
          segmentSha256: sha256Hex(segment),
          previousDigestKey: lastKey ?? null,
          previousDigestSha256: lastBytes ? sha256Hex(lastBytes) : null,
          createdAt: new Date().toISOString(),
        },
        signer,
      );
      const digestKey = keys.digest(end);
      await putBytes(client, {
        Bucket: bucket,
        Key: digestKey,
        Body: Buffer.from(JSON.stringify(digest), 'utf8'),
        ContentType: 'application/json',
        ...lockHeaders(),
      });
      return { fromSeq, toSeq: end, events: lines.length, segmentKey, digestKey };
    },
  };
}
