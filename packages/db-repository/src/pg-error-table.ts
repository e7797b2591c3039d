import type { AppErrorOptions } from '@plinth/errors';
import {
  type AppError,
  ConflictError,
  ForbiddenError,
  InternalError,
  ServiceUnavailableError,
  TimeoutError,
  ValidationError,
} from '@plinth/errors';

/** One row of the SQLSTATE → AppError table. */
export interface PgErrorRule {
  /** Exact SQLSTATE, or a two-character class prefix ending in `*` (e.g. `08*`). */
  readonly sqlState: string;
  readonly create: (message: string | undefined, options: AppErrorOptions) => AppError;
  readonly message: string;
  readonly code: string;
}

type Create = PgErrorRule['create'];
const conflict: Create = (m, o) => new ConflictError(m, o);
const invalid: Create = (m, o) => new ValidationError(m, o);
/**
 * `retryAfterSeconds` (the `Retry-After` header) of every `DB_UNAVAILABLE`: a killed
 * connection is replaced by the pool at once and a restarting server is back within
 * seconds, so clients come back soon rather than hammering or giving up.
 */
export const DB_UNAVAILABLE_RETRY_AFTER_SECONDS = 1;
const unavailable: Create = (m, o) =>
  new ServiceUnavailableError(m, { ...o, retryAfterSeconds: DB_UNAVAILABLE_RETRY_AFTER_SECONDS });
const retryable: Create = (m, o) => new ConflictError(m, { ...o, details: { retryable: true } });
const rule = (sqlState: string, create: Create, code: string, message: string) =>
  ({ sqlState, create, code, message }) as const;
const CHARACTER = 'A value contains a character that cannot be stored';
const TERMINATED = 'The database connection was terminated';

/**
 * The mapping from PostgreSQL SQLSTATE to AppError (DESIGN §5) that
 * `mapPgError` applies. Messages are client-safe and never contain values;
 * structured fields go to `context`. Internal: the guide lists the rows.
 */
export const PG_ERROR_TABLE: readonly PgErrorRule[] = [
  rule('23505', conflict, 'UNIQUE_VIOLATION', 'A record with the same unique value already exists'),
  rule(
    '23503',
    invalid,
    'FOREIGN_KEY_VIOLATION',
    'A referenced record does not exist or is still referenced',
  ),
  rule('23502', invalid, 'NOT_NULL_VIOLATION', 'A required value is missing'),
  rule('23514', invalid, 'CHECK_VIOLATION', 'A value violates a check constraint'),
  rule('22P02', invalid, 'INVALID_TEXT_REPRESENTATION', 'A value has an invalid format'),
  rule('22001', invalid, 'STRING_TOO_LONG', 'A value is too long'),
  // Other data exceptions a client value causes (a NUL byte, 99999999999 for an int, a bad date).
  rule('22003', invalid, 'NUMERIC_OUT_OF_RANGE', 'A number is out of range'),
  rule('22007', invalid, 'INVALID_DATETIME_FORMAT', 'A date or time has an invalid format'),
  rule('22008', invalid, 'DATETIME_OUT_OF_RANGE', 'A date or time is out of range'),
  rule('22021', invalid, 'INVALID_CHARACTER', CHARACTER),
  rule('22P05', invalid, 'INVALID_CHARACTER', CHARACTER),
  rule(
    '40001',
    retryable,
    'SERIALIZATION_FAILURE',
    'The transaction conflicted with a concurrent one; retry it',
  ),
  rule(
    '40P01',
    retryable,
    'DEADLOCK_DETECTED',
    'The transaction deadlocked with a concurrent one; retry it',
  ),
  rule(
    '57014',
    (m, o) => new TimeoutError(m, o),
    'QUERY_TIMEOUT',
    'The database query timed out or was cancelled',
  ),
  rule('57P01', unavailable, 'DB_UNAVAILABLE', TERMINATED),
  rule('57P02', unavailable, 'DB_UNAVAILABLE', TERMINATED),
  rule('57P03', unavailable, 'DB_UNAVAILABLE', 'The database is not accepting connections yet'),
  rule('53300', unavailable, 'DB_UNAVAILABLE', 'The database has too many connections'),
  rule('08*', unavailable, 'DB_UNAVAILABLE', 'The database connection failed'),
  rule(
    '42501',
    (m, o) => new InternalError(m, o),
    'DB_PERMISSION_DENIED',
    'The database role lacks a required privilege',
  ),
];

/** pg messages (no SQLSTATE) for a lost connection or an exhausted pool. */
export const CONNECTION_MESSAGES: readonly RegExp[] = [
  /^Connection terminated/,
  /^timeout exceeded when trying to connect/,
  /not queryable/,
  /^Client was closed/,
  /^Cannot use a pool after calling end/,
  /^Connection terminated due to connection timeout/,
];

/** Reverts the RLS `WITH CHECK` case of 42501 to a 403: the row belongs to another tenant. */
export const RLS_VIOLATION = {
  create: (m: string | undefined, o: AppErrorOptions) => new ForbiddenError(m, o),
  code: 'ROW_LEVEL_SECURITY_VIOLATION',
  message: 'The row is not visible to the current tenant',
} as const;
