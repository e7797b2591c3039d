import { tokenRefused } from './auth-errors.js';

/** The protected header fields verification relies on. */
export interface CheckedHeader {
  readonly alg: string;
  readonly kid: string | undefined;
}

const KID = /^[\x21-\x7e]{1,256}$/;
const KEY = /"((?:[^"\\]|\\.)*)"\s*:/g;

function decodeSegment(segment: string): unknown {
  try {
    return JSON.parse(Buffer.from(segment, 'base64url').toString('utf8'));
  } catch {
    throw tokenRefused('malformed');
  }
}

/**
 * Decode and check the protected header before any key is looked up: a JSON
 * object with no repeated member name (parsers disagree on which one wins), an
 * `alg` from the issuer's allow-list, no `crit`, and a `kid` that is short
 * printable text (it is only ever a map key). `jwk`, `jku`, `x5u` and `x5c`
 * are never read: keys come from configuration only.
 */
export function checkHeader(segment: string, algorithms: readonly string[]): CheckedHeader {
  const text = Buffer.from(segment, 'base64url').toString('utf8');
  const header = decodeSegment(segment);
  if (typeof header !== 'object' || header === null || Array.isArray(header))
    throw tokenRefused('header');
  const names = [...text.matchAll(KEY)].map((m) => m[1]);
  if (new Set(names).size !== names.length) throw tokenRefused('header');
  const { alg, kid, crit } = header as Record<string, unknown>;
  if (crit !== undefined) throw tokenRefused('crit');
  if (typeof alg !== 'string' || !algorithms.includes(alg)) throw tokenRefused('alg');
  if (kid !== undefined && (typeof kid !== 'string' || !KID.test(kid)))
    throw tokenRefused('header');
  return { alg, kid };
}

/** The unverified payload, only to pick the issuer whose keys will verify it. */
export function unverifiedIssuer(segment: string): unknown {
  const payload = decodeSegment(segment);
  if (typeof payload !== 'object' || payload === null || Array.isArray(payload))
    throw tokenRefused('malformed');
  return (payload as { iss?: unknown }).iss;
}
