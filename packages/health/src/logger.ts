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
