/**
 * The environments @plinth/config knows. `NODE_ENV` must be one of them.
 *
 * @example
 * ```ts
 * import type { Environment } from '@plinth/config';
 *
 * const environment: Environment = 'staging';
 * ```
 */
export type Environment = 'development' | 'test' | 'staging' | 'production';

/**
 * Every accepted `NODE_ENV` value, in documentation order.
 *
 * @example
 * ```ts
 * import { ENVIRONMENTS, oneOf } from '@plinth/config';
 *
 * const NODE_ENV = oneOf(ENVIRONMENTS as ['development', 'test', 'staging', 'production']);
 * ```
 */
export const ENVIRONMENTS: readonly Environment[] = Object.freeze([
  'development',
  'test',
  'staging',
  'production',
]);

/** Environments where production guards apply. */
export const GUARDED_ENVIRONMENTS: readonly Environment[] = Object.freeze([
  'staging',
  'production',
]);

export function isEnvironment(value: unknown): value is Environment {
  return typeof value === 'string' && (ENVIRONMENTS as readonly string[]).includes(value);
}

/**
 * Which declared default applies in `environment`: `test` falls back to the
 * development default, `staging` to the production default. Development
 * defaults never reach staging or production.
 */
export function defaultFor<V>(
  defaults: Partial<Record<Environment, V>>,
  environment: Environment,
): { found: true; value: V } | { found: false } {
  const order: Record<Environment, Environment[]> = {
    development: ['development'],
    test: ['test', 'development'],
    staging: ['staging', 'production'],
    production: ['production'],
  };
  for (const name of order[environment]) {
    if (Object.hasOwn(defaults, name)) return { found: true, value: defaults[name] as V };
  }
  return { found: false };
}
