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

const conflict = (m: string | undefined, o: AppErrorOptions) => new ConflictError(m, o);
const invalid = (m: string | undefined, o: AppErrorOptions) => new ValidationError(m, o);
const unavailable = (m: string | undefined, o: AppErrorOptions) =>
  new ServiceUnavailableError(m, o);
const retryable = (m: string | undefined, o: AppErrorOptions) =>
  new ConflictError(m, { ...o, details: { retryable: true } });

/**
 * The mapping from PostgreSQL SQLSTATE to AppError (DESIGN §5) that
 * `mapPgError` applies. Messages are client-safe and never contain values;
 * structured fields go to `context`. Internal: the guide lists the rows.
 */
export const PG_ERROR_TABLE: readonly PgErrorRule[] = [
  {
    sqlState: '23505',
    create: conflict,
    code: 'UNIQUE_VIOLATION',
    message: 'A record with the same unique value already exists',
  },
  {
    sqlState: '23503',
    create: invalid,
    code: 'FOREIGN_KEY_VIOLATION',
    message: 'A referenced record does not exist or is still referenced',
  },
  {
    sqlState: '23502',
    create: invalid,
    code: 'NOT_NULL_VIOLATION',
    message: 'A required value is missing',
  },
  {
    sqlState: '23514',
    create: invalid,
    code: 'CHECK_VIOLATION',
    message: 'A value violates a check constraint',
  },
  {
    sqlState: '22P02',
    create: invalid,
    code: 'INVALID_TEXT_REPRESENTATION',
    message: 'A value has an invalid format',
  },
  { sqlState: '22001', create: invalid, code: 'STRING_TOO_LONG', message: 'A value is too long' },
  // Other data exceptions a client value causes (a NUL byte, 99999999999 for an int, a bad date).
  {
    sqlState: '22003',
    create: invalid,
    code: 'NUMERIC_OUT_OF_RANGE',
    message: 'A number is out of range',
  },
  {
    sqlState: '22007',
    create: invalid,
    code: 'INVALID_DATETIME_FORMAT',
    message: 'A date or time has an invalid format',
  },
  {
    sqlState: '22008',
    create: invalid,
    code: 'DATETIME_OUT_OF_RANGE',
    message: 'A date or time is out of range',
  },
  {
    sqlState: '22021',
    create: invalid,
    code: 'INVALID_CHARACTER',
    message: 'A value contains a character that cannot be stored',
  },
  {
    sqlState: '22P05',
    create: invalid,
    code: 'INVALID_CHARACTER',
    message: 'A value contains a character that cannot be stored',
  },
  {
    sqlState: '40001',
    create: retryable,
    code: 'SERIALIZATION_FAILURE',
    message: 'The transaction conflicted with a concurrent one; retry it',
  },
  {
    sqlState: '40P01',
    create: retryable,
    code: 'DEADLOCK_DETECTED',
    message: 'The transaction deadlocked with a concurrent one; retry it',
  },
  {
    sqlState: '57014',
    create: (m, o) => new TimeoutError(m, o),
    code: 'QUERY_TIMEOUT',
    message: 'The database query timed out or was cancelled',
  },
  {
    sqlState: '57P01',
    create: unavailable,
    code: 'DB_UNAVAILABLE',
    message: 'The database connection was terminated',
  },
  {
    sqlState: '57P02',
    create: unavailable,
    code: 'DB_UNAVAILABLE',
    message: 'The database connection was terminated',
  },
  {
    sqlState: '57P03',
    create: unavailable,
    code: 'DB_UNAVAILABLE',
    message: 'The database is not accepting connections yet',
  },
  {
    sqlState: '53300',
    create: unavailable,
    code: 'DB_UNAVAILABLE',
    message: 'The database has too many connections',
  },
  {
    sqlState: '08*',
    create: unavailable,
    code: 'DB_UNAVAILABLE',
    message: 'The database connection failed',
  },
  {
    sqlState: '42501',
    create: (m, o) => new InternalError(m, o),
    code: 'DB_PERMISSION_DENIED',
    message: 'The database role lacks a required privilege',
  },
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
