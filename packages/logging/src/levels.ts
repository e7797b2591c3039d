/**
 * The levels `createLogger` accepts (pino's, plus `silent`), most verbose first.
 *
 * @example
 * ```ts
 * import { LOG_LEVELS } from '@plinth/logging';
 *
 * LOG_LEVELS.includes('warn'); // true
 * ```
 */
export const LOG_LEVELS = ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'] as const;

/** One of {@link LOG_LEVELS}. */
export type LogLevel = (typeof LOG_LEVELS)[number];
