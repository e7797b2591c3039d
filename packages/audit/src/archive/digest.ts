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

function hmacKey(
  key: Uint8Array | string,
  subject = 'createS3Archive',
  path = 'signer.key',
): Buffer {
  const bytes =
    typeof key === 'string'
      ? Buffer.from(key, 'base64')
      : key instanceof Uint8Array
        ? Buffer.from(key)
        : undefined;
  if (bytes === undefined || bytes.length < 32)
    throw invalidOptions(subject, {
      path,
      message: 'must be a key of at least 32 bytes (base64 string or bytes)',
    });
  return bytes;
}

/**
 * A string key parsed, or a KeyObject taken as is; `undefined` when it is not an Ed25519
 * key. Node's parse error is dropped on purpose: the input is key material, and the
 * OpenSSL text adds nothing a developer can act on.
 */
function ed25519Key(value: unknown, parse: (pem: string) => KeyObject): KeyObject | undefined {
  let key: unknown = value;
  if (typeof value === 'string') {
    try {
      key = parse(value);
    } catch {
      return undefined;
    }
  }
  const k = key as Partial<KeyObject> | null | undefined;
  return typeof k === 'object' && k !== null && k.asymmetricKeyType === 'ed25519'
    ? (k as KeyObject)
    : undefined;
}

const SIGNER_SHAPE =
  "must be { algorithm: 'ed25519', keyId, privateKey } or { algorithm: 'hmac-sha256', keyId, key }";

/**
 * Checks a signer up front so a bad key fails at configuration time, not as digests no
 * verifier accepts: an Ed25519 *private* key (PEM or KeyObject), or an HMAC key of at
 * least 32 bytes. Messages name the option, never the key.
 */
export function checkSigner(signer: DigestSigner): DigestSigner {
  const shape = signer as Partial<Record<string, unknown>> | null;
  if (typeof shape !== 'object' || shape === null || typeof shape.keyId !== 'string')
    throw invalidOptions('createS3Archive', { path: 'signer', message: SIGNER_SHAPE });
  if (signer.algorithm === 'hmac-sha256') return { ...signer, key: hmacKey(signer.key) };
  if (signer.algorithm !== 'ed25519')
    throw invalidOptions('createS3Archive', { path: 'signer', message: SIGNER_SHAPE });
  const key = ed25519Key(signer.privateKey, createPrivateKey);
  if (key?.type !== 'private')
    throw invalidOptions('createS3Archive', {
      path: 'signer.privateKey',
      message: 'must be an Ed25519 private key (PEM string or KeyObject)',
    });
  return { ...signer, privateKey: key };
}

/**
 * Checks the keys digests may be signed with, up front, and returns them parsed: an
 * Ed25519 public key (or a private one, whose public half is used) or an HMAC key of at
 * least 32 bytes. Messages name the option, never the key.
 */
export function checkVerifiers(
  subject: string,
  verifiers: unknown,
  path = 'verifiers',
): DigestVerifier[] {
  if (!Array.isArray(verifiers))
    throw invalidOptions(subject, { path, message: 'must be an array of digest verifiers' });
  return verifiers.map((v: Partial<Record<string, unknown>> | null, i): DigestVerifier => {
    const at = `${path}.${i}`;
    if (typeof v !== 'object' || v === null || typeof v.keyId !== 'string')
      throw invalidOptions(subject, {
        path: at,
        message:
          "must be { algorithm: 'ed25519', keyId, publicKey } or { algorithm: 'hmac-sha256', keyId, key }",
      });
    if (v.algorithm === 'hmac-sha256')
      return {
        algorithm: 'hmac-sha256',
        keyId: v.keyId,
        key: hmacKey(v.key as Uint8Array | string, subject, `${at}.key`),
      };
    const key = v.algorithm === 'ed25519' ? ed25519Key(v.publicKey, createPublicKey) : undefined;
    if (key === undefined)
      throw invalidOptions(subject, {
        path: `${at}.publicKey`,
        message: 'must be an Ed25519 public key (PEM string or KeyObject)',
      });
    return {
      algorithm: 'ed25519',
      keyId: v.keyId,
      publicKey: key.type === 'private' ? createPublicKey(key) : key,
    };
  });
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
