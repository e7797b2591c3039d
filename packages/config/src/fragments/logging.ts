import { perEnv } from '../per-env.js';
import { bool } from '../primitives/bool.js';
import { oneOf } from '../primitives/one-of.js';

/**
 * Log levels `@plinth/logging` (pino) accepts.
 *
 * @example
 * ```ts
 * import { LOG_LEVELS, oneOf } from '@plinth/config';
 *
 * const AUDIT_LOG_LEVEL = oneOf(LOG_LEVELS).default('warn');
 * ```
 */
export const LOG_LEVELS = ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'] as const;

/**
 * Logging keys for `@plinth/logging`. `LOG_PRETTY` is on in development only.
 *
 * @example
 * ```ts
 * import { loadConfig, loggingFragment } from '@plinth/config';
 * import { z } from 'zod';
 *
 * const { LOG_LEVEL, LOG_PRETTY } = await loadConfig({ schema: z.object({ ...loggingFragment }) });
 * ```
 */
export const loggingFragment = {
  LOG_LEVEL: oneOf(LOG_LEVELS).default('info').describe('Minimum level written.'),
  LOG_PRETTY: perEnv(bool(), {
    development: 'true',
    test: 'false',
    production: 'false',
  }).describe('Human-readable output (needs pino-pretty); JSON when false.'),
};
