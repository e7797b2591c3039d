import { InternalError } from '@plinth/errors';
import { usageError } from '../errors.js';
import { computeEventHash, GENESIS_HASH } from '../hash.js';
import type { AuditLog } from '../types.js';
import {
  checkSigner,
  type DigestSigner,
  type DigestVerifier,
  sha256Hex,
  signDigest,
} from './digest.js';
import { archiveKeys } from './layout.js';
import { archiveTampered, trustNewestDigest, verifierOf } from './newest-digest.js';
import { getBytes, listKeys, putBytes, type S3ClientLike } from './s3-io.js';

/** Options of {@link createS3Archive}. */
export interface S3ArchiveOptions {
  log: AuditLog;
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
  /** Archives events after the last digest up to `toSeq` (default: the head, capped by `maxEvents`); `null` when there is nothing new. */
  archive(options: { tenantId: string; toSeq?: number }): Promise<ArchiveResult | null>;
}

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
 * const archive = createS3Archive({ log: audit, client: new S3Client({}), bucket: 'audit-archive',
 *   signer: { algorithm: 'ed25519', keyId: 'a1', privateKey }, objectLock: { mode: 'COMPLIANCE', retainDays: 2555 } });
 * await archive.archive({ tenantId: 't1' });
 * ```
 */
export function createS3Archive(options: S3ArchiveOptions): S3Archive {
  if (typeof options !== 'object' || options === null)
    throw usageError('createS3Archive: options are required', 'AUDIT_CONFIG_INVALID');
  const { log, client, bucket } = options;
  if (
    !log ||
    typeof log.readRange !== 'function' ||
    typeof client?.send !== 'function' ||
    typeof bucket !== 'string' ||
    bucket === ''
  )
    throw usageError(
      'createS3Archive: log, client and bucket are required',
      'AUDIT_CONFIG_INVALID',
    );
  const signer = checkSigner(options.signer);
  if (options.verifiers !== undefined && !Array.isArray(options.verifiers))
    throw usageError('createS3Archive: verifiers must be an array', 'AUDIT_CONFIG_INVALID');
  const verifiers = [verifierOf(signer), ...(options.verifiers ?? [])];
  const maxEvents = options.maxEvents ?? 100_000;
  if (!Number.isInteger(maxEvents) || maxEvents < 1 || maxEvents > 1_000_000)
    throw usageError(
      'createS3Archive: maxEvents must be an integer from 1 to 1,000,000',
      'AUDIT_CONFIG_INVALID',
    );
  const lock = options.objectLock;
  if (
    lock &&
    (!['GOVERNANCE', 'COMPLIANCE'].includes(lock.mode) ||
      !Number.isInteger(lock.retainDays) ||
      lock.retainDays < 1)
  )
    throw usageError(
      'createS3Archive: objectLock needs mode GOVERNANCE|COMPLIANCE and whole retainDays ≥ 1',
      'AUDIT_CONFIG_INVALID',
    );

  const lockHeaders = () =>
    lock
      ? {
          ObjectLockMode: lock.mode,
          ObjectLockRetainUntilDate: new Date(Date.now() + lock.retainDays * 86_400_000),
        }
      : {};

  return {
    async archive(request) {
      const { tenantId, toSeq } = (request ?? {}) as { tenantId?: unknown; toSeq?: unknown };
      if (typeof tenantId !== 'string' || tenantId.length === 0 || tenantId.length > 128)
        throw usageError(
          'archive: tenantId must be a string of 1-128 characters',
          'AUDIT_RANGE_INVALID',
        );
      if (toSeq !== undefined && (!Number.isSafeInteger(toSeq) || (toSeq as number) < 1))
        throw usageError('archive: toSeq must be a positive integer', 'AUDIT_RANGE_INVALID');
      const keys = archiveKeys(options.prefix ?? 'audit', tenantId);
      const digests = await listKeys(client, bucket, keys.digests);
      const lastKey = digests[digests.length - 1];
      const lastBytes = lastKey === undefined ? undefined : await getBytes(client, bucket, lastKey);
      const head = await log.head(tenantId);
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
      const end = Math.min(
        (toSeq as number | undefined) ?? head.seq,
        head.seq,
        fromSeq + maxEvents - 1,
      );
      if (end < fromSeq) return null;

      let prevHash = last ? last.lastHash : GENESIS_HASH;
      let expected = fromSeq;
      const lines: string[] = [];
      let firstPrevHash: string | undefined;
      for await (const row of log.readRange({ tenantId, fromSeq, toSeq: end })) {
        if (last && row.seq === fromSeq && row.prevHash !== last.lastHash)
          throw archiveTampered(lastKey!, 'link-mismatch', tenantId);
        if (row.seq !== expected || computeEventHash(row) !== row.hash || row.prevHash !== prevHash)
          throw new InternalError(
            'The audit chain does not verify; run verify() before archiving',
            {
              code: 'AUDIT_CHAIN_BROKEN',
              context: { tenantId, seq: expected },
            },
          );
        firstPrevHash ??= row.prevHash;
        prevHash = row.hash;
        expected++;
        lines.push(JSON.stringify(row));
      }
      if (expected - 1 !== end)
        throw new InternalError('The audit chain has a gap; run verify() before archiving', {
          code: 'AUDIT_CHAIN_BROKEN',
          context: { tenantId, seq: expected },
        });
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
