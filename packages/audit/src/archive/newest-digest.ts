import { createPublicKey, type KeyObject } from 'node:crypto';
import { InternalError } from '@plinth/errors';
import { parseJsonObject } from '../canonical-json.js';
import { GENESIS_HASH } from '../hash.js';
import {
  type ArchiveDigest,
  type DigestSigner,
  type DigestVerifier,
  verifyDigestSignature,
} from './digest.js';

/** Why `archive()` refused to chain onto the newest digest. */
type Problem =
  | 'unreadable'
  | 'signature'
  | 'tenant'
  | 'key'
  | 'range'
  | 'previous-digest'
  | 'ahead-of-database'
  | 'head-mismatch';

/** The typed error `archive()` throws when the archive's newest digest cannot be trusted. */
export function archiveTampered(
  key: string,
  problem: Problem | 'link-mismatch',
  tenantId: string | null,
): InternalError {
  return new InternalError(
    'The newest archive digest cannot be trusted; run verifyArchive() before archiving again',
    { code: 'AUDIT_ARCHIVE_TAMPERED', context: { tenantId, digestKey: key, problem } },
  );
}

/** The signer's own key as a verifier (Ed25519: its public half), so no extra option is needed. */
export function verifierOf(signer: DigestSigner): DigestVerifier {
  return signer.algorithm === 'ed25519'
    ? {
        algorithm: 'ed25519',
        keyId: signer.keyId,
        publicKey: createPublicKey(signer.privateKey as KeyObject),
      }
    : { algorithm: 'hmac-sha256', keyId: signer.keyId, key: signer.key };
}

const isSeq = (n: unknown): n is number => Number.isSafeInteger(n) && (n as number) >= 1;
const isHash = (h: unknown) => typeof h === 'string' && /^[0-9a-f]{64}$/.test(h);

/**
 * Parses and checks the newest digest before `archive()` chains onto it: its signature
 * (by the signer's key or another listed verifier), tenant, object key, range, link to the
 * digest listed before it, and that it is not ahead of (nor disagrees with) the database head.
 * Throws `AUDIT_ARCHIVE_TAMPERED` on any failure, before anything is written.
 */
export function trustNewestDigest(input: {
  key: string;
  bytes: Buffer | undefined;
  previousKey: string | null;
  expectedKey: (toSeq: number) => string;
  tenantId: string | null;
  verifiers: readonly DigestVerifier[];
  head: { seq: number; hash: string };
}): ArchiveDigest {
  const { key, tenantId } = input;
  const refuse = (problem: Problem) => archiveTampered(key, problem, tenantId);
  const digest = parseJsonObject<ArchiveDigest>(String(input.bytes ?? ''));
  if (!digest) throw refuse('unreadable');
  if (digest.format !== 'plinth.audit.digest.v1' || !verifyDigestSignature(digest, input.verifiers))
    throw refuse('signature');
  if (digest.tenantId !== tenantId) throw refuse('tenant');
  if (
    !isSeq(digest.fromSeq) ||
    !isSeq(digest.toSeq) ||
    digest.fromSeq > digest.toSeq ||
    !isHash(digest.lastHash) ||
    (digest.fromSeq === 1 && digest.firstPrevHash !== GENESIS_HASH)
  )
    throw refuse('range');
  // A genuine digest copied under another name (e.g. one sorting last) is not the newest one.
  if (input.expectedKey(digest.toSeq) !== key) throw refuse('key');
  if (
    digest.previousDigestKey !== input.previousKey ||
    (input.previousKey === null) !== (digest.fromSeq === 1)
  )
    throw refuse('previous-digest');
  if (digest.toSeq > input.head.seq) throw refuse('ahead-of-database');
  if (digest.toSeq === input.head.seq && digest.lastHash !== input.head.hash)
    throw refuse('head-mismatch');
  return digest;
}
