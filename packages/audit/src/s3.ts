// Archiving a chain.

export type { ArchiveResult, S3Archive, S3ArchiveOptions } from './archive/archive.js';
export { createS3Archive } from './archive/archive.js';
export type { ArchiveDigest, DigestSigner, DigestVerifier } from './archive/digest.js';
export type { S3ClientLike } from './archive/s3-io.js';
export type {
  ArchiveFailure,
  ArchiveVerifyResult,
  VerifyArchiveOptions,
} from './archive/verify-archive.js';
// Checking an archive.
export { verifyArchive } from './archive/verify-archive.js';
