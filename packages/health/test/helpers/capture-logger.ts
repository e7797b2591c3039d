import { EventEmitter } from 'node:events';
import type { LoggerLike } from '@plinth/health';

export interface LogEntry {
  level: 'info' | 'warn' | 'error';
  msg: string | undefined;
  obj: Record<string, unknown>;
}

/** A logger that records entries and emits each message, so tests can wait on a step. */
export function captureLogger() {
  const entries: LogEntry[] = [];
  const events = new EventEmitter();
  const at = (level: LogEntry['level']) => (obj: object, msg?: string) => {
    entries.push({ level, msg, obj: obj as Record<string, unknown> });
    events.emit(msg ?? '', obj);
  };
  const logger: LoggerLike = { info: at('info'), warn: at('warn'), error: at('error') };
  const once = (msg: string) => new Promise<unknown>((resolve) => events.once(msg, resolve));
  return { logger, entries, once };
}
