import { randomUUID } from 'node:crypto';
import { SignJWT } from 'jose';

/** The auth settings the suite gives every service (HS256, the service verifies its own secret). */
export const AUTH = Object.freeze({
  secret: 'reliability-suite-hs256-secret-0123456789abcdef',
  issuer: 'https://reliability.plinth.test',
  audience: 'plinth-examples',
});

export type Role = 'admin' | 'staff' | 'viewer' | 'client';

export interface TokenClaims {
  sub?: string;
  tenantId: string;
  roles: Role[];
  verificationLevel?: 0 | 1 | 2;
  /** Lifetime in seconds. Default 1 hour. */
  ttl?: number;
}

const key = new TextEncoder().encode(AUTH.secret);

/** An HS256 access token exactly as the services' own issuer would sign it. */
export async function signToken(claims: TokenClaims): Promise<string> {
  const payload: Record<string, unknown> = { tenant_id: claims.tenantId, roles: claims.roles };
  if (claims.verificationLevel !== undefined) payload.verification_level = claims.verificationLevel;
  return new SignJWT(payload)
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(claims.sub ?? randomUUID())
    .setIssuer(AUTH.issuer)
    .setAudience(AUTH.audience)
    .setIssuedAt()
    .setExpirationTime(`${claims.ttl ?? 3600}s`)
    .sign(key);
}
