import type { RequestContext } from '@plinth/context';
import { type Caller, callerOf } from '../http/tenant.js';

/**
 * End clients: a token with role `client`, `sub` = their client id, and a
 * `verification_level` claim (0-2). The tiers are route policy, so the
 * OpenAPI document shows them (`x-claim-tiers`) and every refusal is a 403
 * the adapter audits.
 */
export const clientTiers = {
  /** Level 1 (e.g. email verified): may read their own record. */
  profile: { roles: ['client'], tiers: { verification_level: 1 } },
  /** Level 2 (e.g. identity verified): may list their documents too. */
  documents: { roles: ['client'], tiers: { verification_level: 2 } },
} as const;

/** The end client behind a token: tenant from `tenant_id`, client id from `sub`. */
export function selfOf(context: RequestContext): Caller & { readonly clientId: string } {
  const caller = callerOf(context);
  return { ...caller, clientId: caller.actorId };
}
