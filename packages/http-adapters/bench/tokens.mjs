// The one HS256 issuer every authenticated bench variant trusts, and tokens for the load generator.
import { SignJWT } from 'jose';

export const ISSUER = 'https://id.bench.example/';
export const AUDIENCE = 'bench-api';
export const SECRET = 'bench-secret-of-at-least-32-bytes-long!';
export const KEY = new TextEncoder().encode(SECRET);

/**
 * `count` distinct HS256 tokens for the bench issuer, valid for an hour, each
 * with its own `sub` (so a verified-token cache sees a new token every time).
 */
export async function signTokens(count, { prefix = 'user' } = {}) {
  const now = Math.floor(Date.now() / 1000);
  const out = [];
  for (let i = 0; i < count; i++) {
    out.push(
      await new SignJWT({ tenant_id: 't1', roles: ['reader'], scope: 'hello:read' })
        .setProtectedHeader({ alg: 'HS256' })
        .setIssuer(ISSUER)
        .setAudience(AUDIENCE)
        .setSubject(`${prefix}-${i}`)
        .setIssuedAt(now)
        .setExpirationTime(now + 3600)
        .sign(KEY),
    );
  }
  return out;
}
