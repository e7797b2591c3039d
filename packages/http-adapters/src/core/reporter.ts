import type { RequestContext } from '@plinth/context';
import type { AppError } from '@plinth/errors';
import type { LoggerLike } from '@plinth/internal';

/** Receives every error an adapter renders (Sentry and the like). Its result is ignored. */
export type ErrorReporter = (error: AppError, context: RequestContext | undefined) => unknown;

/**
 * Hand `error` to `reporter` after the current turn, so it cannot change,
 * break or delay the response: a throw or rejection is logged at `warn`, and
 * a reporter still pending after `timeoutMs` is logged as hanging (its
 * promise is left alone; the timer does not keep the process up).
 *
 * @example
 * ```ts
 * import { reportError } from '@plinth/http-adapters';
 *
 * reportError((err) => sentry.captureException(err), err, ctx, logger, 5000);
 * ```
 */
export function reportError(
  reporter: ErrorReporter | undefined,
  error: AppError,
  context: RequestContext | undefined,
  logger: Required<LoggerLike>,
  timeoutMs = 5000,
): void {
  if (!reporter) return;
  const fields = {
    errorId: error.errorId,
    code: error.code,
    correlationId: context?.correlationId,
  };
  setImmediate(() => {
    let settled = false;
    const timer = setTimeout(() => {
      if (!settled) logger.warn({ ...fields, timeoutMs }, 'error reporter did not settle in time');
    }, timeoutMs);
    timer.unref();
    const failed = () => {
      settled = true;
      clearTimeout(timer);
      logger.warn(fields, 'error reporter failed');
    };
    try {
      Promise.resolve(reporter(error, context)).then(() => {
        settled = true;
        clearTimeout(timer);
      }, failed);
    } catch {
      failed();
    }
  });
}
