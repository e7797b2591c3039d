import { invalidOptions, type OptionIssueInput, TimeoutError } from '@plinth/errors';
import { MAX_TIMER_MS } from '@plinth/internal';

/** Anything with pino's `flush(callback)`. */
export interface FlushableLogger {
  flush(callback?: (err?: Error) => void): void;
}

/** Options for {@link flush}. */
export interface FlushOptions {
  /** Give up after this many milliseconds. Default 5000. */
  timeoutMs?: number;
}

/**
 * Write out every buffered line (asynchronous destinations such as
 * `pino.destination({ sync: false })` buffer in memory) and resolve when the
 * destination has them. Call it in the shutdown sequence before
 * `process.exit`. Rejects with a `TimeoutError` (code `LOG_FLUSH_TIMEOUT`)
 * when the destination does not drain within `timeoutMs`, and with an
 * `OptionsError` (`INVALID_OPTIONS`) when `logger` has no `flush()` or
 * `timeoutMs` is not a positive number.
 *
 * @example
 * ```ts
 * import { createLogger, flush } from '@plinth/logging';
 *
 * const log = createLogger();
 * process.on('SIGTERM', async () => {
 *   log.info('shutting down');
 *   await flush(log);
 *   process.exit(0);
 * });
 * ```
 */
export function flush(logger: FlushableLogger, options: FlushOptions = {}): Promise<void> {
  const issues: OptionIssueInput[] = [];
  if (typeof (logger as Partial<FlushableLogger> | null)?.flush !== 'function') {
    issues.push({ path: 'logger', message: 'must be a logger with a flush() method' });
  }
  const timeoutMs = options?.timeoutMs ?? 5000;
  if (typeof timeoutMs !== 'number' || !(timeoutMs >= 1 && timeoutMs <= MAX_TIMER_MS)) {
    issues.push({ path: 'timeoutMs', message: 'must be a positive number of milliseconds' });
  }
  if (issues.length > 0) return Promise.reject(invalidOptions('flush', issues));
  return new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => {
      reject(
        new TimeoutError('Log destination did not drain in time; some lines may be lost', {
          code: 'LOG_FLUSH_TIMEOUT',
          context: { timeoutMs },
        }),
      );
    }, timeoutMs);
    timer.unref();
    try {
      logger.flush((err) => {
        clearTimeout(timer);
        if (err) reject(err);
        else resolve();
      });
    } catch (err) {
      clearTimeout(timer);
      reject(err);
    }
  });
}
