import {
  createHash,
  createHmac,
  createPrivateKey,
  createPublicKey,
  type KeyObject,
  sign,
  timingSafeEqual,
  verify,
} from 'node:crypto';
import { invalidOptions } from '@plinth/errors';
import { canonicalJson } from '../canonical-json.js';

/** Signs digests: Ed25519 (verifiable with the public key alone) or HMAC-SHA256. */
export type DigestSigner =
  | { algorithm: 'ed25519'; keyId: string; privateKey: KeyObject | string }
  | { algorithm: 'hmac-sha256'; keyId: string; key: Uint8Array | string };

/** Checks digests: the Ed25519 public key, or the same HMAC key. */
export type DigestVerifier =
  | { algorithm: 'ed25519'; keyId: string; publicKey: KeyObject | string }
  | { algorithm: 'hmac-sha256'; keyId: string; key: Uint8Array | string };

/** One archive digest: what a segment holds and the link to the previous digest. */
export interface ArchiveDigest {
  format: 'plinth.audit.digest.v1';
  /** `null` for the no-tenant chain. */
  tenantId: string | null;
  fromSeq: number;
  toSeq: number;
  events: number;
  /** `prev_hash` of the first row (links the segment to the chain before it). */
  firstPrevHash: string;
  /** `hash` of the last row. */
  lastHash: string;
  segmentKey: string;
  /** SHA-256 (hex) of the segment object's bytes. */
  segmentSha256: string;
  previousDigestKey: string | null;
  /** SHA-256 (hex) of the previous digest object's bytes. */
  previousDigestSha256: string | null;
  createdAt: string;
  algorithm: 'ed25519' | 'hmac-sha256';
  keyId: string;
  /** base64 signature over the canonical JSON of every other field. */
  signature: string;
}

export const sha256Hex = (data: Uint8Array | string) =>
  createHash('sha256').update(data).digest('hex');

function hmacKey(key: Uint8Array | string): Buffer {
  const bytes = typeof key === 'string' ? Buffer.from(key, 'base64') : Buffer.from(key);
  if (bytes.length < 32)
    throw invalidOptions('createS3Archive', {
      path: 'signer.key',
      message: 'must be at least 32 bytes',
    });
  return bytes;
}

/**
 * Checks a signer up front so a bad key fails at configuration time, not as digests no
 * verifier accepts: an Ed25519 *private* key, or an HMAC key of at least 32 bytes.
 */
export function checkSigner(signer: DigestSigner): DigestSigner {
  if (signer.algorithm === 'hmac-sha256') return { ...signer, key: hmacKey(signer.key) };
  const key =
    typeof signer.privateKey === 'string' ? createPrivateKey(signer.privateKey) : signer.privateKey;
  if (
    signer.algorithm !== 'ed25519' ||
    key?.asymmetricKeyType !== 'ed25519' ||
    key.type !== 'private'
  )
    throw invalidOptions('createS3Archive', {
      path: 'signer',
      message: "must be { algorithm: 'ed25519', privateKey } or { algorithm: 'hmac-sha256', key }",
    });
  return { ...signer, privateKey: key };
}

const signedBytes = (digest: Omit<ArchiveDigest, 'signature'> & { signature?: string }) => {
  const { signature: _omit, ...rest } = digest;
  return Buffer.from(canonicalJson(rest), 'utf8');
};

/** Adds `algorithm`, `keyId` and `signature` to an unsigned digest. */
export function signDigest(
  unsigned: Omit<ArchiveDigest, 'signature' | 'algorithm' | 'keyId'>,
  signer: DigestSigner,
): ArchiveDigest {
  const body = { ...unsigned, algorithm: signer.algorithm, keyId: signer.keyId };
  const bytes = signedBytes(body);
  const signature =
    signer.algorithm === 'ed25519'
      ? sign(null, bytes, signer.privateKey as KeyObject).toString('base64')
      : createHmac('sha256', hmacKey(signer.key)).update(bytes).digest('base64');
  return { ...body, signature };
}

/** True when the digest's signature verifies under the verifier with its keyId. */
export function verifyDigestSignature(
  digest: ArchiveDigest,
  verifiers: readonly DigestVerifier[],
): boolean {
  const v = verifiers.find((k) => k.keyId === digest.keyId && k.algorithm === digest.algorithm);
  if (!v || typeof digest.signature !== 'string') return false;
  const bytes = signedBytes(digest);
  const sig = Buffer.from(digest.signature, 'base64');
  if (v.algorithm === 'ed25519') {
    const key = typeof v.publicKey === 'string' ? createPublicKey(v.publicKey) : v.publicKey;
    return verify(null, bytes, key, sig);
  }
  const expected = createHmac('sha256', hmacKey(v.key)).update(bytes).digest();
  return expected.length === sig.length && timingSafeEqual(expected, sig);
}
