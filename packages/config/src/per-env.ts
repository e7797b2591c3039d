import { isOptionsObject } from '@plinth/errors';
import { z } from 'zod';
import { ENVIRONMENTS, type Environment, isEnvironment } from './environment.js';
import { setMeta } from './meta.js';
import { isZodSchema, requireOption } from './option-guards.js';

/** Defaults per environment, in the schema's input (env-string) form. */
export type EnvironmentDefaults<S extends z.core.$ZodType> = Partial<
  Record<Environment, Exclude<z.input<S>, undefined>>
>;

/**
 * Declares per-environment defaults for a key, used when no source sets it.
 * `test` falls back to the `development` default and `staging` to the
 * `production` one. A key with development/test defaults but no production
 * default is **required** in staging and production, and a secret whose
 * parsed value equals its parsed development default is refused there,
 * whatever its spelling (see `refuseInProduction` for other rules).
 *
 * @example
 * ```ts
 * import { perEnv, secret } from '@plinth/config';
 * import { z } from 'zod';
 *
 * const AUTH_ISSUER = perEnv(z.string().min(1), { development: 'http://localhost:3000' });
 * const AUTH_JWT_SECRET = perEnv(secret(z.string().min(32)), {
 *   development: 'development-only-secret-change-me-0000',
 * });
 * ```
 */
export function perEnv<S extends z.core.$ZodType>(schema: S, defaults: EnvironmentDefaults<S>): S {
  requireOption(isZodSchema(schema), 'perEnv', 'schema', 'must be a zod schema');
  requireOption(
    isOptionsObject(defaults),
    'perEnv',
    'defaults',
    'must be an object keyed by environment',
  );
  // A typo such as `prod` would otherwise be a default that never applies.
  const unknown = Object.keys(defaults).filter((name) => !isEnvironment(name));
  requireOption(
    unknown.length === 0,
    'perEnv',
    'defaults',
    `has unknown environment ${unknown.map((n) => JSON.stringify(n.slice(0, 32))).join(', ')}; use ${ENVIRONMENTS.join(', ')}`,
  );
  // A clone keeps the caller's schema untouched and inherits its description.
  const copy = z.core.util.clone(schema);
  return setMeta(copy, { envDefaults: Object.freeze({ ...defaults }) });
}
