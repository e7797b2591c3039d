import { CANONICAL_UUID } from '../uuid.js';
import { ClientErrors } from './errors.js';

/** Position after the last client of a page: the list is ordered by (createdAt, id). */
export interface ClientCursor {
  readonly createdAt: Date;
  readonly id: string;
}

const PREFIX = 'c1.';
/** Longest cursor this API issues, with room to spare; anything longer is refused unread. */
export const MAX_CURSOR_LENGTH = 128;

/**
 * Opaque keyset cursor: `c1.` + base64url of `<epoch ms>:<uuid>`. It carries
 * no tenant and no personal data, and it needs no signature: a forged one
 * only moves the caller's own position inside their own tenant's list.
 *
 * @example
 * ```ts
 * encodeCursor({ createdAt: new Date(0), id: '5c4e…' }); // 'c1.MDo1YzRl…'
 * ```
 */
export function encodeCursor(cursor: ClientCursor): string {
  const raw = `${cursor.createdAt.getTime()}:${cursor.id}`;
  return PREFIX + Buffer.from(raw, 'utf8').toString('base64url');
}

/** Decodes a cursor from {@link encodeCursor}; anything else is a 400 `INVALID_CURSOR`. */
export function decodeCursor(text: string): ClientCursor {
  if (text.length > MAX_CURSOR_LENGTH || !text.startsWith(PREFIX)) throw invalid();
  const body = text.slice(PREFIX.length);
  if (!/^[A-Za-z0-9_-]+$/.test(body)) throw invalid();
  const raw = Buffer.from(body, 'base64url').toString('utf8');
  const colon = raw.indexOf(':');
  const ms = raw.slice(0, colon);
  const id = raw.slice(colon + 1);
  // At most 15 digits: always a valid Date (the limit is 8.64e15 ms) and a valid timestamptz.
  if (colon < 1 || !/^\d{1,15}$/.test(ms) || !CANONICAL_UUID.test(id)) throw invalid();
  return { createdAt: new Date(Number(ms)), id };
}

const invalid = () => new ClientErrors.INVALID_CURSOR();
