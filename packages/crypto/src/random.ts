import { randomFillSync } from 'node:crypto';
import { invalidOptions } from '@plinth/errors';

// One randomFillSync call serves many nonces (as crypto.randomUUID does):
// per-call overhead of the CSPRNG dominates for 12 bytes. Each slice is handed
// out exactly once and only used synchronously before the pool is refilled.
const NONCE_BYTES = 12;
const POOL_NONCES = 128;
const pool = Buffer.alloc(NONCE_BYTES * POOL_NONCES);
let offset = pool.length;

/** A fresh random 96-bit nonce. Valid until the next call (copy it to keep it). */
export function nextNonce(): Buffer {
  if (offset === pool.length) {
    randomFillSync(pool);
    offset = 0;
  }
  const nonce = pool.subarray(offset, offset + NONCE_BYTES);
  offset += NONCE_BYTES;
  return nonce;
}

/**
 * Cryptographically random token, base64url without padding. `bytes` is the
 * entropy (default 32 = 256 bits; use at least 16), an integer in 1..1024.
 *
 * @example
 * ```ts
 * import { randomToken } from '@plinth/crypto';
 *
 * const resetToken = randomToken(); // 43 characters
 * ```
 */
export function randomToken(bytes = 32): string {
  if (!Number.isInteger(bytes) || bytes < 1 || bytes > 1024) {
    throw invalidOptions('randomToken', {
      path: 'bytes',
      message: 'must be an integer from 1 to 1024',
    });
  }
  return randomFillSync(Buffer.allocUnsafe(bytes)).toString('base64url');
}
