import { timingSafeEqual as bytesEqual, createHmac, randomBytes } from 'node:crypto';
import { isUint8Array } from 'node:util/types';
import { invalidArgument } from './errors.js';

// Per-process random key: comparing HMACs makes the compare length-independent
// and leaks nothing useful even if the digests' timing did.
const KEY = randomBytes(32);

/**
 * Constant-time equality for secrets given as strings or bytes (API keys,
 * tokens, signatures). Both sides are HMAC-SHA256'd under a per-process
 * random key and the digests compared with `crypto.timingSafeEqual`, so the
 * time does not depend on where the inputs differ or on their lengths'
 * relation.
 *
 * @example
 * ```ts
 * import { timingSafeEqual } from '@plinth/crypto';
 *
 * if (!timingSafeEqual(req.headers['x-api-key'] ?? '', expectedKey)) throw new UnauthorizedError();
 * ```
 */
export function timingSafeEqual(a: string | Uint8Array, b: string | Uint8Array): boolean {
  if (!(typeof a === 'string' || isUint8Array(a)) || !(typeof b === 'string' || isUint8Array(b))) {
    throw invalidArgument('timingSafeEqual: both arguments must be strings or Uint8Arrays');
  }
  const da = createHmac('sha256', KEY).update(a).digest();
  const db = createHmac('sha256', KEY).update(b).digest();
  return bytesEqual(da, db);
}
