import type { PrincipalInit } from '@plinth/context';
import { tokenRefused } from './auth-errors.js';

/** How an issuer's verified claims become the request's principal. */
export interface ClaimMapping {
  /** `principal.type` for this issuer's tokens (`staff`, `client`, `service`). Default `user`. */
  principalType?: string;
  /** Tokens must carry a tenant (`tenantClaim`) for this issuer. Default true. */
  tenantScoped?: boolean;
  /** Default `tenant_id`. */
  tenantClaim?: string;
  /** Array of role names. Default `roles`. */
  rolesClaim?: string;
  /** Number or string claims copied into `principal.claims` for tier guards (`verification_level`). */
  tierClaims?: readonly string[];
}

const strings = (v: unknown) => Array.isArray(v) && v.every((s) => typeof s === 'string');

function scopesOf(payload: Record<string, unknown>): string[] {
  const { scope, scp } = payload;
  if (scope !== undefined && typeof scope !== 'string') throw tokenRefused('claim_type');
  if (scp !== undefined && typeof scp !== 'string' && !strings(scp))
    throw tokenRefused('claim_type');
  const fromScp = typeof scp === 'string' ? scp.split(' ') : ((scp as string[] | undefined) ?? []);
  return [...(scope ?? '').split(' '), ...fromScp].filter((s) => s !== '');
}

/**
 * Map verified claims to `{ principal, tenantId }`. A claim of the wrong type
 * (a numeric `sub`, `roles` that is not an array of strings, an object tier) is
 * a 401, as is a tenant-scoped issuer's token without a tenant.
 */
export function principalFrom(
  payload: Record<string, unknown>,
  mapping: ClaimMapping,
): { principal: PrincipalInit; tenantId: string | undefined } {
  const { sub } = payload;
  const tenant = payload[mapping.tenantClaim ?? 'tenant_id'];
  const roles = payload[mapping.rolesClaim ?? 'roles'];
  if (typeof sub !== 'string') throw tokenRefused('claim_type');
  if (tenant !== undefined && typeof tenant !== 'string') throw tokenRefused('claim_type');
  if (roles !== undefined && !strings(roles)) throw tokenRefused('claim_type');
  if (tenant === undefined && mapping.tenantScoped !== false) throw tokenRefused('tenant_missing');
  const claims: Record<string, unknown> = { iss: payload.iss };
  for (const name of mapping.tierClaims ?? []) {
    const value = payload[name];
    if (value === undefined) continue;
    if (typeof value !== 'number' && typeof value !== 'string') throw tokenRefused('claim_type');
    claims[name] = value;
  }
  return {
    principal: {
      id: sub,
      type: mapping.principalType ?? 'user',
      roles: (roles as string[] | undefined) ?? [],
      scopes: scopesOf(payload),
      claims,
    },
    tenantId: tenant as string | undefined,
  };
}
