import { createHash, randomUUID } from 'node:crypto';
import { randomToken } from '@plinth/crypto';
import { invalidOptions } from '@plinth/errors';
import { SignJWT } from 'jose';
import type { StaffRole } from './schemas.js';

/** What the service needs to sign the access tokens its own JWT auth verifies. */
export interface TokenIssuerOptions {
  /** The HS256 secret (`AUTH_JWT_SECRET`), at least 32 bytes. */
  secret: string;
  /** `AUTH_ISSUER`. */
  issuer: string;
  /** `AUTH_AUDIENCE`. */
  audience: string;
  /** Access token lifetime in ms (`AUTH_ACCESS_TOKEN_TTL`). */
  accessTtlMs: number;
  /** Clock in epoch ms (tests). Default `Date.now`. */
  now?: () => number;
}

/** Claims of a staff access token. */
export interface StaffClaims {
  readonly userId: string;
  readonly tenantId: string;
  readonly roles: readonly StaffRole[];
}

/** Signs staff access tokens. */
export interface TokenIssuer {
  /** An HS256 JWT: `iss`, `aud`, `sub`, `tenant_id`, `roles`, `iat`, `exp`, `jti`. */
  accessToken(claims: StaffClaims): Promise<{ token: string; expiresIn: number }>;
}

/**
 * The access tokens of staff logins, signed with jose under the same secret,
 * issuer and audience `createJwtAuth` verifies, so they are accepted by every
 * route exactly like an identity provider's.
 *
 * @example
 * ```ts
 * const issuer = createTokenIssuer({ secret, issuer: 'clients', audience: 'clients-api', accessTtlMs: 900_000 });
 * const { token } = await issuer.accessToken({ userId, tenantId, roles: ['staff'] });
 * ```
 */
export function createTokenIssuer(options: TokenIssuerOptions): TokenIssuer {
  const key = new TextEncoder().encode(options.secret);
  if (key.byteLength < 32)
    throw invalidOptions('createTokenIssuer', { path: 'secret', message: 'must be ≥ 32 bytes' });
  const expiresIn = Math.floor(options.accessTtlMs / 1000);
  if (!(expiresIn >= 1))
    throw invalidOptions('createTokenIssuer', { path: 'accessTtlMs', message: 'must be ≥ 1000' });
  const now = options.now ?? Date.now;
  return {
    async accessToken({ userId, tenantId, roles }) {
      const iat = Math.floor(now() / 1000);
      const token = await new SignJWT({ tenant_id: tenantId, roles: [...roles] })
        .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
        .setIssuer(options.issuer)
        .setAudience(options.audience)
        .setSubject(userId)
        .setIssuedAt(iat)
        .setExpirationTime(iat + expiresIn)
        .setJti(randomUUID())
        .sign(key);
      return { token, expiresIn };
    },
  };
}

/** A new refresh token: 256 random bits, base64url. Only its hash is stored. */
export const newRefreshToken = (): string => randomToken(32);

/** The stored form of a refresh token. */
export const hashRefreshToken = (token: string): Buffer =>
  createHash('sha256').update(token, 'utf8').digest();
