/** The slice of a pino-style logger the shutdown sequence uses. */
export interface LoggerLike {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

/** Default logger: one JSON line per event on stderr (no error messages, only names and phrases). */
export function createStderrLogger(): LoggerLike {
  const write = (level: string) => (obj: object, msg?: string) => {
    const { err: _err, ...rest } = obj as Record<string, unknown>;
    process.stderr.write(
      `${JSON.stringify({ level, time: new Date().toISOString(), msg, ...rest })}\n`,
    );
  };
  return { info: write('info'), warn: write('warn'), error: write('error') };
}

/** True when `value` has callable `info`, `warn` and `error`. */
export function isLoggerLike(value: unknown): value is LoggerLike {
  const o = value as Record<string, unknown> | null;
  return (
    (typeof o === 'object' || typeof o === 'function') &&
    o !== null &&
    typeof o.info === 'function' &&
    typeof o.warn === 'function' &&
    typeof o.error === 'function'
  );
}

/**
 * Wraps a logger so a throwing call (a closed transport, a serialiser bug) is
 * swallowed: logging must never abort the shutdown sequence or change its
 * exit code.
 */
export function safeLogger(logger: LoggerLike): LoggerLike {
  const wrap =
    (level: keyof LoggerLike) =>
    (obj: object, msg?: string): void => {
      try {
        logger[level](obj, msg);
      } catch {
        // Nowhere left to report it; the sequence goes on.
      }
    };
  return { info: wrap('info'), warn: wrap('warn'), error: wrap('error') };
}
