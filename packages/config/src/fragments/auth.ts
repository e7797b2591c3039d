import { z } from 'zod';
import { perEnv } from '../per-env.js';
import { duration } from '../primitives/duration.js';
import { url } from '../primitives/url.js';
import { secret } from '../secret-schema.js';

/**
 * JWT authentication keys for `@plinth/http-adapters`. Set either
 * `AUTH_JWT_SECRET` (HS256) or `AUTH_JWKS_URL`; the adapter checks that one is
 * present. Issuer and audience have development/test defaults only, so they
 * are required in staging and production.
 *
 * @example
 * ```ts
 * import { authFragment, loadConfig } from '@plinth/config';
 * import { z } from 'zod';
 *
 * const config = await loadConfig({ schema: z.object({ ...authFragment }) });
 * config.AUTH_JWT_SECRET?.reveal();
 * ```
 */
export const authFragment = {
  AUTH_JWT_SECRET: secret(z.string().min(32))
    .optional()
    .describe(
      'HS256 signing secret, at least 32 characters. Leave unset when using AUTH_JWKS_URL.',
    ),
  AUTH_JWKS_URL: url({ protocols: ['https', 'http'] })
    .optional()
    .describe('JWKS endpoint of the identity provider (keys are fetched and cached).'),
  AUTH_ISSUER: perEnv(z.string().trim().min(1), {
    development: 'plinth-dev',
    test: 'plinth-test',
  }).describe('Required `iss` claim.'),
  AUTH_AUDIENCE: perEnv(z.string().trim().min(1), {
    development: 'plinth-dev',
    test: 'plinth-test',
  }).describe('Required `aud` claim.'),
  AUTH_CLOCK_SKEW: duration({ max: 300_000 })
    .default(30_000)
    .describe('Tolerance for exp/nbf/iat clock differences (at most 5m).'),
};
