import { generateKeyPairSync } from 'node:crypto';
import { SignJWT } from 'jose';

export const STAFF_ISS = 'https://staff-id.example.com/';
export const CLIENT_ISS = 'https://client-id.example.com/';
export const REMOTE_ISS = 'https://remote-id.example.com/';
export const AUDIENCE = 'clients-api';
export const STAFF_SECRET = 'staff-secret-of-at-least-32-bytes!!';

export const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
export const RSA_PUBLIC_PEM = rsa.publicKey.export({ type: 'spki', format: 'pem' }) as string;
export const otherRsa = generateKeyPairSync('rsa', { modulusLength: 2048 });

export const nowSeconds = () => Math.floor(Date.now() / 1000);

/** Claims of a valid client token; override or delete (`undefined`) members per case. */
export function clientClaims(extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    iss: CLIENT_ISS,
    aud: AUDIENCE,
    sub: 'client-1',
    tenant_id: 't1',
    roles: ['reader'],
    scope: 'clients:read',
    verification_level: 2,
    iat: nowSeconds(),
    exp: nowSeconds() + 300,
    ...extra,
  };
}

const clean = (claims: Record<string, unknown>) =>
  Object.fromEntries(Object.entries(claims).filter(([, v]) => v !== undefined));

/** RS256 token for the client issuer (signed with the configured key unless `key` is given). */
export function clientToken(
  extra: Record<string, unknown> = {},
  header: Record<string, unknown> = {},
  key = rsa.privateKey,
): Promise<string> {
  return new SignJWT(clean(clientClaims(extra)))
    .setProtectedHeader({ alg: 'RS256', kid: 'client-k1', ...header } as { alg: string })
    .sign(key);
}

/** HS256 token for the staff issuer (no tenant: staff are not tenant-scoped). */
export function staffToken(extra: Record<string, unknown> = {}): Promise<string> {
  const claims = {
    ...clientClaims({ iss: STAFF_ISS, sub: 'staff-1', roles: ['admin'] }),
    tenant_id: undefined,
    ...extra,
  };
  return new SignJWT(clean(claims))
    .setProtectedHeader({ alg: 'HS256' })
    .sign(new TextEncoder().encode(STAFF_SECRET));
}

const b64 = (v: unknown) =>
  Buffer.from(typeof v === 'string' ? v : JSON.stringify(v)).toString('base64url');

/** A compact token from raw header and payload text, with a given signature segment. */
export const rawToken = (header: unknown, payload: unknown, signature = 'c2ln') =>
  `${b64(header)}.${b64(payload)}.${signature}`;
