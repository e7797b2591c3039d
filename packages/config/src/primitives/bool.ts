import { type EnvPrimitive, envPrimitive, fail, ok } from './env-string.js';

const TRUE = new Set(['true', '1', 'yes', 'on']);
const FALSE = new Set(['false', '0', 'no', 'off']);

/**
 * Boolean from an env string: `true/false`, `1/0`, `yes/no`, `on/off`
 * (case-insensitive). Anything else is an error — `"false"` is never true.
 *
 * @example
 * ```ts
 * import { bool, loadConfig } from '@plinth/config';
 * import { z } from 'zod';
 *
 * const config = await loadConfig({ schema: z.object({ LOG_PRETTY: bool().default(false) }) });
 * ```
 */
export function bool(): EnvPrimitive<boolean> {
  return envPrimitive(
    (text) => {
      const word = text.toLowerCase();
      if (TRUE.has(word)) return ok(true);
      if (FALSE.has(word)) return ok(false);
      return fail('must be a boolean (true/false, 1/0, yes/no, on/off)');
    },
    { format: (value) => String(value), hint: 'true|false' },
  );
}
