import { z } from 'zod';

/**
 * A UUID as PostgreSQL prints it: lower-case hex. PostgreSQL compares uuids
 * whatever their case, but the audit trail, the login throttle, the
 * rate-limit keys and the object keys compare text, so every id this service
 * keys anything by has this one spelling.
 */
export const CANONICAL_UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

const ANY_CASE_UUID = new RegExp(CANONICAL_UUID.source, 'i');

/**
 * A UUID from a request (a path parameter, a body field), lower-cased once
 * validated: `ABCDEFAB-…` and `abcdefab-…` name the same row, and must name
 * the same counter, audit trail and object too.
 *
 * @example
 * ```ts
 * export const clientParams = z.object({ id: uuid() });
 * ```
 */
export const uuid = () => z.uuid().toLowerCase();

/**
 * A filter that may or may not be a UUID (an audit `resourceId` is a client
 * id, or the case-sensitive hash of a login account): lower-cased only when
 * it has the shape of a UUID.
 *
 * @example
 * ```ts
 * const resourceId = z.string().max(128).overwrite(canonicalIfUuid);
 * ```
 */
export const canonicalIfUuid = (value: string): string =>
  ANY_CASE_UUID.test(value) ? value.toLowerCase() : value;
