import { createHmac, timingSafeEqual } from 'node:crypto';
import { ValidationError } from '@plinth/errors';
import { usageError } from './errors.js';

const MAC_BYTES = 16;
const MAX_CURSOR_LENGTH = 4_096;

/** What a cursor binds: the repository, the sort order, and the sort-key values (as PostgreSQL text) of the last row. */
export interface CursorPayload {
  /** Table the cursor belongs to. */
  t: string;
  /** Sort signature, e.g. `createdAt:desc,id:asc`. */
  o: string;
  /** Last row's sort-key values rendered by PostgreSQL (`::text`), `null` for NULL. */
  k: (string | null)[];
}

/** Validates a configured cursor key: at least 32 bytes. */
export function checkCursorKey(key: string | Uint8Array): Uint8Array {
  const bytes = typeof key === 'string' ? Buffer.from(key, 'utf8') : key;
  if (!(bytes instanceof Uint8Array) || bytes.length < 32) {
    throw usageError('cursorKey must be at least 32 bytes', 'DB_CONFIG_INVALID');
  }
  return bytes;
}

function mac(key: Uint8Array, body: string): Buffer {
  return createHmac('sha256', key).update(body).digest().subarray(0, MAC_BYTES);
}

/** `base64url(json).base64url(hmac)`: opaque to clients, tamper-evident. */
export function encodeCursor(key: Uint8Array, payload: CursorPayload): string {
  const body = Buffer.from(JSON.stringify(payload)).toString('base64url');
  return `${body}.${mac(key, body).toString('base64url')}`;
}

function invalid(): ValidationError {
  return new ValidationError('The pagination cursor is invalid or expired', {
    code: 'INVALID_CURSOR',
    errors: [{ path: 'cursor', message: 'Invalid cursor', code: 'invalid_cursor' }],
  });
}

/** Verifies and decodes a cursor for `table` ordered by `order`; anything else is a ValidationError. */
export function decodeCursor(
  key: Uint8Array,
  cursor: unknown,
  table: string,
  order: string,
  keyCount: number,
): CursorPayload {
  if (typeof cursor !== 'string' || cursor.length === 0 || cursor.length > MAX_CURSOR_LENGTH)
    throw invalid();
  const dot = cursor.indexOf('.');
  if (dot <= 0) throw invalid();
  const body = cursor.slice(0, dot);
  const given = Buffer.from(cursor.slice(dot + 1), 'base64url');
  const expected = mac(key, body);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) throw invalid();
  let payload: unknown;
  try {
    payload = JSON.parse(Buffer.from(body, 'base64url').toString('utf8'));
  } catch {
    throw invalid();
  }
  const p = payload as Partial<CursorPayload>;
  if (
    p?.t !== table ||
    p.o !== order ||
    !Array.isArray(p.k) ||
    p.k.length !== keyCount ||
    !p.k.every((v) => v === null || typeof v === 'string')
  ) {
    throw invalid();
  }
  return p as CursorPayload;
}
