import { type EnvPrimitive, envPrimitive, fail, ok } from './env-string.js';

/**
 * One of a fixed set of strings (exact, case-sensitive match after trimming);
 * the output type is the union of the values.
 *
 * @example
 * ```ts
 * import { oneOf } from '@plinth/config';
 *
 * const LOG_LEVEL = oneOf(['debug', 'info', 'warn', 'error']).default('info');
 * ```
 */
export function oneOf<const V extends readonly [string, ...string[]]>(
  values: V,
): EnvPrimitive<V[number]> {
  const allowed = new Set<string>(values);
  const reason = `must be one of: ${values.join(', ')}`;
  return envPrimitive<V[number]>(
    (text) => (allowed.has(text) ? ok(text as V[number]) : fail(reason)),
    { format: String, hint: values.join('|') },
  );
}
