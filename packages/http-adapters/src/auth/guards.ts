import type { Principal } from '@plinth/context';
import { accessDenied } from './auth-errors.js';

/** Who may call a route, declared in its `policy` next to its schemas. */
export interface AuthPolicy {
  /** `required` (the default once JWT auth is installed), `optional`, or `none`. */
  auth?: 'required' | 'optional' | 'none';
  /** The principal needs at least one of these roles. */
  roles?: readonly string[];
  /** The principal needs every one of these scopes. */
  scopes?: readonly string[];
  /** Numeric claims with their minimum (`{ verification_level: 2 }` means ≥ 2). */
  tiers?: Readonly<Record<string, number>>;
}

/** Throw a 403 unless `principal` meets the route's roles, scopes and tiers. */
export function checkGuards(policy: AuthPolicy, principal: Principal): void {
  const { roles, scopes, tiers } = policy;
  if (roles && roles.length > 0 && !roles.some((r) => principal.roles.includes(r)))
    throw accessDenied('role');
  if (scopes && !scopes.every((s) => principal.scopes.includes(s))) throw accessDenied('scope');
  for (const [claim, min] of Object.entries(tiers ?? {})) {
    const value = principal.claims[claim];
    if (typeof value !== 'number' || !(value >= min)) throw accessDenied('tier');
  }
}
