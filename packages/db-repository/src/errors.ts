import { InternalError } from '@plinth/errors';

/** A misuse of this package by the calling code (wiring or programming error). */
export function usageError(
  message: string,
  code = 'DB_USAGE_ERROR',
  context?: Record<string, unknown>,
): InternalError {
  return new InternalError(message, { code, context });
}
