import { createLogger, type LoggerOptions } from '@plinth/logging';

/** A logger whose lines are captured in memory (JSON, never pretty). */
export function capture(options: LoggerOptions = {}) {
  const raw: string[] = [];
  const logger = createLogger({
    service: 'svc',
    version: '1.2.3',
    env: 'test',
    pretty: false,
    ...options,
    destination: { write: (line: string) => void raw.push(line) },
  });
  return {
    logger,
    raw,
    lines: () => raw.map((l) => JSON.parse(l) as Record<string, unknown>),
    last: () => JSON.parse(raw.at(-1) ?? 'null') as Record<string, unknown>,
  };
}
