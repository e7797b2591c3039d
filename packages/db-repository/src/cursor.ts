import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';
import { invalidOptions, ValidationError } from '@plinth/errors';

const VERSION = 1;
const SALT_BYTES = 16;
const TAG_BYTES = 16;
const HEADER_BYTES = 1 + SALT_BYTES;
const MAX_CURSOR_LENGTH = 4_096;
const INFO = Buffer.from('plinth.db-repository.cursor.v1');
// Each cursor has its own key (a fresh salt), so the one nonce is never reused under a key.
const IV = Buffer.alloc(12);

/** Where a cursor may be used: one repository table, one sort order, one tenant. */
export interface CursorScope {
  /** Table the cursor belongs to. */
  table: string;
  /** Sort signature, e.g. `createdAt:desc,id:asc`. */
  order: string;
  /** Tenant of the request that received it (`undefined` for repositories without tenants). */
  tenant: string | undefined;
}

/** Validates a configured cursor key: at least 32 bytes. */
export function checkCursorKey(key: string | Uint8Array): Uint8Array {
  const bytes = typeof key === 'string' ? Buffer.from(key, 'utf8') : key;
  if (!(bytes instanceof Uint8Array) || bytes.length < 32)
    throw invalidOptions('createDatabase', {
      path: 'cursorKey',
      message: 'must be at least 32 bytes',
    });
  return bytes;
}

function keyFor(key: Uint8Array, salt: Uint8Array): Buffer {
  return Buffer.from(hkdfSync('sha256', key, salt, INFO, 32));
}

/** The scope as AAD: the ciphertext opens only for the same table, order and tenant. */
const aad = (scope: CursorScope) =>
  Buffer.from(JSON.stringify([VERSION, scope.table, scope.order, scope.tenant ?? null]));

/**
 * `base64url(0x01 ‖ salt ‖ AES-256-GCM(values) ‖ tag)`, bound to `scope` by
 * the AAD: opaque (sort values may be personal data) and tamper-evident.
 */
export function encodeCursor(
  key: Uint8Array,
  scope: CursorScope,
  values: (string | null)[],
): string {
  const salt = randomBytes(SALT_BYTES);
  const cipher = createCipheriv('aes-256-gcm', keyFor(key, salt), IV).setAAD(aad(scope));
  const body = Buffer.concat([cipher.update(JSON.stringify(values), 'utf8'), cipher.final()]);
  return Buffer.concat([Buffer.of(VERSION), salt, body, cipher.getAuthTag()]).toString('base64url');
}

function invalid(): ValidationError {
  return new ValidationError('The pagination cursor is invalid or expired', {
    code: 'INVALID_CURSOR',
    errors: [{ path: 'cursor', message: 'Invalid cursor', code: 'invalid_cursor' }],
  });
}

function open(key: Uint8Array, scope: CursorScope, bytes: Buffer): unknown {
  const salt = bytes.subarray(1, HEADER_BYTES);
  const decipher = createDecipheriv('aes-256-gcm', keyFor(key, salt), IV).setAAD(aad(scope));
  decipher.setAuthTag(bytes.subarray(bytes.length - TAG_BYTES));
  const body = bytes.subarray(HEADER_BYTES, bytes.length - TAG_BYTES);
  return JSON.parse(Buffer.concat([decipher.update(body), decipher.final()]).toString('utf8'));
}

/**
 * The sort-key values of a cursor minted for `scope` with `keyCount` keys.
 * Anything else (another table, order or tenant, a flipped bit, a
 * non-canonical spelling of the same bytes) is a 400 `INVALID_CURSOR`.
 */
export function decodeCursor(
  key: Uint8Array,
  cursor: unknown,
  scope: CursorScope,
  keyCount: number,
): (string | null)[] {
  if (typeof cursor !== 'string' || cursor.length > MAX_CURSOR_LENGTH) throw invalid();
  const bytes = Buffer.from(cursor, 'base64url');
  // Buffer skips characters it cannot decode and padding: only the canonical spelling is accepted.
  if (
    bytes.length <= HEADER_BYTES + TAG_BYTES ||
    bytes[0] !== VERSION ||
    bytes.toString('base64url') !== cursor
  )
    throw invalid();
  let values: unknown;
  try {
    values = open(key, scope, bytes);
  } catch {
    throw invalid();
  }
  if (
    !Array.isArray(values) ||
    values.length !== keyCount ||
    !values.every((v) => v === null || typeof v === 'string')
  )
    throw invalid();
  return values;
}
