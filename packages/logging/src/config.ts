import { bool, oneOf, perEnv } from '@plinth/config';
import { LOG_LEVELS } from './levels.js';

/**
 * The logger's settings as a `@plinth/config` schema fragment: `LOG_LEVEL`
 * (one of `LOG_LEVELS`, default `info`) and `LOG_PRETTY` (on in development
 * only; needs pino-pretty). Pass the parsed values to `createLogger`
 * (`level`, `pretty`).
 *
 * @example
 * ```ts
 * import { loadConfig } from '@plinth/config';
 * import { createLogger } from '@plinth/logging';
 * import { loggingFragment } from '@plinth/logging/config';
 * import { z } from 'zod';
 *
 * const { LOG_LEVEL, LOG_PRETTY } = await loadConfig({ schema: z.object({ ...loggingFragment }) });
 * const log = createLogger({ level: LOG_LEVEL, pretty: LOG_PRETTY });
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

export { LOG_LEVELS };
