import { randomUUID } from 'node:crypto';
import { SignJWT } from 'jose';
import { inject } from 'vitest';

export type StaffRole = 'admin' | 'staff' | 'viewer';

export const nowSeconds = () => Math.floor(Date.now() / 1000);

const auth = () => inject('contract').auth;
const key = () => new TextEncoder().encode(auth().secret);

const clean = (claims: Record<string, unknown>) =>
  Object.fromEntries(Object.entries(claims).filter(([, v]) => v !== undefined));

/** Claims of a valid staff token; override members, or delete them with `undefined`. */
export function staffClaims(
  tenantId: string,
  role: StaffRole,
  extra: Record<string, unknown> = {},
): Record<string, unknown> {
  const { issuer, audience } = auth();
  return {
    iss: issuer,
    aud: audience,
    sub: randomUUID(),
    tenant_id: tenantId,
    roles: [role],
    iat: nowSeconds(),
    exp: nowSeconds() + 900,
    ...extra,
  };
}

/** HS256 with the run's AUTH_JWT_SECRET, header `{ alg: 'HS256', ...header }`. */
export function sign(
  claims: Record<string, unknown>,
  header: Record<string, unknown> = {},
): Promise<string> {
  return new SignJWT(clean(claims))
    .setProtectedHeader({ alg: 'HS256', ...header } as { alg: string })
    .sign(key());
}

/** A staff token (admin, staff or viewer) of `tenantId`. */
export const staffToken = (
  tenantId: string,
  role: StaffRole,
  extra: Record<string, unknown> = {},
) => sign(staffClaims(tenantId, role, extra));

/** An end-client token: role `client`, `sub` = the client's id, `verification_level` 0–2. */
export const clientToken = (
  tenantId: string,
  clientId: string,
  level: number,
  extra: Record<string, unknown> = {},
) =>
  sign(
    staffClaims(tenantId, 'viewer', {
      sub: clientId,
      roles: ['client'],
      verification_level: level,
      ...extra,
    }),
  );

/** Tokens for every staff role of one tenant. */
export interface TenantTokens {
  readonly tenantId: string;
  readonly admin: string;
  readonly staff: string;
  readonly viewer: string;
}

export async function tenantTokens(tenantId = randomUUID()): Promise<TenantTokens> {
  const [admin, staff, viewer] = await Promise.all([
    staffToken(tenantId, 'admin'),
    staffToken(tenantId, 'staff'),
    staffToken(tenantId, 'viewer'),
  ]);
  return { tenantId, admin, staff, viewer };
}

const b64 = (v: unknown) =>
  Buffer.from(typeof v === 'string' ? v : JSON.stringify(v)).toString('base64url');

/** A compact token from raw header and payload text, with a given signature segment. */
export const rawToken = (header: unknown, payload: unknown, signature = 'c2ln') =>
  `${b64(header)}.${b64(payload)}.${signature}`;
