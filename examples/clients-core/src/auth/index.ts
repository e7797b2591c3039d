import { createBlindIndex } from '@plinth/crypto';
import { createLoginThrottle } from '@plinth/http-adapters';
import { createClientRepository } from '../clients/repository.js';
import { type AppDeps, type Feature, normalizeEmail } from '../deps.js';
import { meRoutes } from './me-routes.js';
import { createRefreshTokenRepository } from './refresh-tokens-repository.js';
import { authRoutes } from './routes.js';
import { createAuthService } from './service.js';
import { createTokenIssuer } from './tokens.js';
import { createUserRepository } from './users-repository.js';

/**
 * Staff accounts (`POST /v1/users`), login with the failed-login throttle,
 * refresh-token rotation with reuse detection, logout, and the end-client
 * `GET /v1/me`. The service signs staff access tokens itself (HS256 under
 * `AUTH_JWT_SECRET`, `AUTH_ISSUER`, `AUTH_AUDIENCE`, the values its JWT auth
 * verifies); with `AUTH_JWKS_URL` instead, an identity provider issues the
 * tokens and only `/v1/me` is mounted.
 *
 * @example
 * ```ts
 * const { routes, checks } = createAuthFeature(deps);
 * ```
 */
export function createAuthFeature(deps: AppDeps): Feature {
  const { config, db, fields, audit, logger } = deps;
  const me = meRoutes(createClientRepository(db, fields, deps.emailIndex), audit.writer);
  const secret = config.AUTH_JWT_SECRET?.reveal();
  if (secret === undefined) {
    logger.info('AUTH_JWKS_URL is set: staff accounts and login are left to the identity provider');
    return { routes: me };
  }
  const blindIndexKey = config.BLIND_INDEX_KEY.reveal();
  // Counters of the throttle are keyed by an HMAC of account and address. The key
  // is derived from the blind-index key, so every instance derives the same one
  // (required with Redis) and no extra secret needs configuring.
  const hashKey = createBlindIndex({
    key: blindIndexKey,
    scope: 'login-throttle',
    bytes: 32,
  }).compute('hash-key');
  const throttle = createLoginThrottle({
    hashKey,
    audit: audit.writer,
    logger,
    ...(deps.redis ? { redis: deps.redis } : {}),
  });
  const service = createAuthService({
    users: createUserRepository(
      db,
      fields,
      createBlindIndex({ key: blindIndexKey, scope: 'users.email', normalize: normalizeEmail }),
    ),
    refreshTokens: createRefreshTokenRepository(db),
    issuer: createTokenIssuer({
      secret,
      issuer: config.AUTH_ISSUER,
      audience: config.AUTH_AUDIENCE,
      accessTtlMs: config.AUTH_ACCESS_TOKEN_TTL,
    }),
    throttle,
    audit: audit.writer,
    refreshTtlMs: config.AUTH_REFRESH_TOKEN_TTL,
  });
  return {
    routes: [...authRoutes(service, db), ...me],
    checks: { 'login-throttle': throttle.healthCheck() },
  };
}
