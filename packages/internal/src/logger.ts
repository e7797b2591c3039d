import type { LoggerLike } from './types.js';

/** True when `value` has callable `error`, `warn` and `info`. */
export function isLoggerLike(value: unknown): value is LoggerLike {
  const o = value as Record<string, unknown> | null;
  return (
    (typeof o === 'object' || typeof o === 'function') &&
    o !== null &&
    typeof o.error === 'function' &&
    typeof o.warn === 'function' &&
    typeof o.info === 'function'
  );
}

/**
 * Wraps a logger so that a throwing call (a closed transport, a serialiser
 * bug) is swallowed: reporting a problem must never become a second problem.
 */
export function safeLogger(logger: LoggerLike): Required<LoggerLike> {
  const wrap =
    (level: keyof LoggerLike) =>
    (obj: object, msg?: string): void => {
      try {
        logger[level]?.(obj, msg);
      } catch {
        // Nowhere left to report it.
      }
    };
  return { error: wrap('error'), warn: wrap('warn'), info: wrap('info'), debug: wrap('debug') };
}

/** One JSON line per event on stderr; the `err` field is left out (it may carry data). */
export function stderrLogger(): Required<LoggerLike> {
  const write = (level: string) => (obj: object, msg?: string) => {
    const { err: _err, ...rest } = obj as Record<string, unknown>;
    process.stderr.write(
      `${JSON.stringify({ level, time: new Date().toISOString(), msg, ...rest })}\n`,
    );
  };
  return { error: write('error'), warn: write('warn'), info: write('info'), debug: () => {} };
}
