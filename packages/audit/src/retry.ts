import { mapPgError } from '@plinth/db-repository';
import { type AppError, isAppError, ServiceUnavailableError } from '@plinth/errors';

/**
 * True for failures worth retrying a batch for: the database is unreachable or
 * restarting (503 from `mapPgError`: 08xxx, 57P01/57P03, 53300, ECONNREFUSED…),
 * a statement timeout (57014 → 504), or a serialization failure/deadlock
 * (40001/40P01 → retryable conflict).
 */
export function isTransient(err: unknown): boolean {
  const e = toAppErrorFromDb(err);
  if (e.status === 503) return (e as ServiceUnavailableError).retryable !== false;
  if (e.status === 504) return true;
  return (e.details as { retryable?: unknown } | undefined)?.retryable === true;
}

/** The AppError for a driver error (pass-through for AppErrors). */
const toAppErrorFromDb = (err: unknown): AppError => (isAppError(err) ? err : mapPgError(err));

/** The error a permanently failed batch reports. */
export function writeFailed(cause: unknown, events: number, attempts: number): AppError {
  return new ServiceUnavailableError(
    `${events} audit event(s) not stored after ${attempts} attempt(s)`,
    {
      code: 'AUDIT_WRITE_FAILED',
      retryable: false,
      details: { events, attempts },
      cause: toAppErrorFromDb(cause),
    },
  );
}
