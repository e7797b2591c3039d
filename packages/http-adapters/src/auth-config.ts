import { duration, perEnv, type Secret, secret, url } from '@plinth/config';
import { invalidOptions } from '@plinth/errors';
import { z } from 'zod';
import type { ClaimMapping } from './auth/claims.js';
import type { JwtAuthOptions } from './auth/jwt-auth.js';

const bytesOf = (text: string) => new TextEncoder().encode(text).byteLength;

/**
 * JWT authentication keys for {@link jwtAuthSettings}: set either
 * `AUTH_JWT_SECRET` (HS256, at least 32 bytes, the rule `createJwtAuth`
 * applies) or `AUTH_JWKS_URL`. Issuer and audience have development/test
 * defaults only, so they are required in staging and production.
 *
 * @example
 * ```ts
 * import { loadConfig } from '@plinth/config';
 * import { authFragment, jwtAuthSettings } from '@plinth/http-adapters/config';
 * import { z } from 'zod';
 *
 * const config = await loadConfig({ schema: z.object({ ...authFragment }) });
 * const auth = createJwtAuth(jwtAuthSettings(config));
 * ```
 */
export const authFragment = {
  AUTH_JWT_SECRET: secret(z.string().refine((s) => bytesOf(s) >= 32, 'must be at least 32 bytes'))
    .optional()
    .describe('HS256 signing secret, at least 32 bytes. Leave unset when using AUTH_JWKS_URL.'),
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
  AUTH_CLOCK_SKEW: duration({ max: 60_000 })
    .refine((ms) => ms % 1000 === 0, 'must be whole seconds')
    .default(30_000)
    .describe('Tolerance for exp/nbf/iat clock differences (whole seconds, at most 1m).'),
};

/** The loaded values {@link jwtAuthSettings} reads. */
export interface JwtAuthConfig {
  readonly AUTH_JWT_SECRET?: Secret<string> | undefined;
  readonly AUTH_JWKS_URL?: string | undefined;
  readonly AUTH_ISSUER: string;
  readonly AUTH_AUDIENCE: string;
  readonly AUTH_CLOCK_SKEW: number;
}

/**
 * `createJwtAuth` options for one issuer from loaded configuration. Exactly
 * one of `AUTH_JWT_SECRET` and `AUTH_JWKS_URL` must be set (else an
 * `OptionsError`); `claims` maps the issuer's claims to the principal.
 *
 * @example
 * ```ts
 * import { createJwtAuth } from '@plinth/http-adapters';
 * import { jwtAuthSettings } from '@plinth/http-adapters/config';
 *
 * const auth = createJwtAuth(jwtAuthSettings(config, { principalType: 'client' }));
 * ```
 */
export function jwtAuthSettings(config: JwtAuthConfig, claims: ClaimMapping = {}): JwtAuthOptions {
  const secretText = config.AUTH_JWT_SECRET?.reveal();
  const jwksUri = config.AUTH_JWKS_URL;
  if ((secretText === undefined) === (jwksUri === undefined))
    throw invalidOptions('http-adapters jwt config', {
      path: 'AUTH_JWT_SECRET',
      message: 'set exactly one of AUTH_JWT_SECRET and AUTH_JWKS_URL',
    });
  return {
    issuers: [
      {
        ...claims,
        issuer: config.AUTH_ISSUER,
        audience: config.AUTH_AUDIENCE,
        keys: secretText === undefined ? { jwksUri: jwksUri as string } : { secret: secretText },
      },
    ],
    clockSkewSeconds: config.AUTH_CLOCK_SKEW / 1000,
  };
}
