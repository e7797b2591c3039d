import { invalidOptions, type OptionIssueInput } from '@plinth/errors';
import type { Level } from 'pino';

/** The logger methods `logTiming` calls (any pino logger fits). */
export type TimingLogger = {
  [K in Level]: (fields: Record<string, unknown>, message: string) => void;
};

/** Options for {@link logTiming}. */
export interface LogTimingOptions {
  /** Level for success. Default `'info'`. */
  level?: Level;
  /** Level for failure. Default `'error'`. */
  failureLevel?: Level;
  /** Extra fields on both lines. */
  fields?: Record<string, unknown>;
}

function isPromiseLike(value: unknown): value is PromiseLike<unknown> {
  return (
    value !== null &&
    (typeof value === 'object' || typeof value === 'function') &&
    typeof (value as { then?: unknown }).then === 'function'
  );
}

const elapsed = (start: number) => Math.round((performance.now() - start) * 1000) / 1000;

/**
 * Run `fn` (sync or async) and log one line when it settles: `operation`,
 * `durationMs` and `outcome` (`success` / `failure`, with `err`). Returns
 * what `fn` returns (a promise for async work) and rethrows its error
 * unchanged. Throws an `OptionsError` (`INVALID_OPTIONS`), before running
 * `fn`, for a missing logger, an unknown level, an empty operation or a
 * missing `fn`.
 *
 * @example
 * ```ts
 * import { createLogger, logTiming } from '@plinth/logging';
 *
 * const log = createLogger();
 * const buildReport = async () => [{ id: 1 }];
 * const rows = await logTiming(log, 'reports.build', () => buildReport());
 * // {"level":"info",…,"operation":"reports.build","durationMs":12.5,"outcome":"success","msg":"reports.build succeeded"}
 * ```
 */
export function logTiming<T>(
  logger: TimingLogger,
  operation: string,
  fn: () => T,
  options: LogTimingOptions = {},
): T {
  const { level = 'info', failureLevel = 'error', fields } = options ?? {};
  const issues: OptionIssueInput[] = [];
  const methods = logger as Partial<Record<string, unknown>> | null | undefined;
  if (typeof methods !== 'object' || methods === null) {
    issues.push({ path: 'logger', message: 'must be a logger (any pino logger)' });
  } else {
    for (const [path, name] of [
      ['options.level', level],
      ['options.failureLevel', failureLevel],
    ] as const) {
      if (typeof methods[name] !== 'function') {
        issues.push({ path, message: 'must be a level the logger has a method for' });
      }
    }
  }
  if (typeof operation !== 'string' || operation === '') {
    issues.push({ path: 'operation', message: 'must be a non-empty string' });
  }
  if (typeof fn !== 'function') issues.push({ path: 'fn', message: 'must be a function' });
  if (issues.length > 0) throw invalidOptions('logTiming', issues);
  const start = performance.now();
  const ok = () =>
    logger[level](
      { ...fields, operation, durationMs: elapsed(start), outcome: 'success' },
      `${operation} succeeded`,
    );
  const fail = (err: unknown) =>
    logger[failureLevel](
      { ...fields, operation, durationMs: elapsed(start), outcome: 'failure', err },
      `${operation} failed`,
    );
  let result: T;
  try {
    result = fn();
  } catch (err) {
    fail(err);
    throw err;
  }
  if (isPromiseLike(result)) {
    return Promise.resolve(result).then(
      (value) => {
        ok();
        return value;
      },
      (err: unknown) => {
        fail(err);
        throw err;
      },
    ) as T;
  }
  ok();
  return result;
}
