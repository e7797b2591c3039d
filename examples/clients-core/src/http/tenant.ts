import type { RequestContext } from '@plinth/context';
import { ForbiddenError, UnauthorizedError } from '@plinth/errors';
import { CANONICAL_UUID } from '../uuid.js';

/** The authenticated caller of a request: tenant (a UUID) and principal id (a UUID). */
export interface Caller {
  readonly tenantId: string;
  readonly actorId: string;
}

/**
 * The caller of an authenticated route. JWT auth has already required a
 * tenant claim. Tenants, staff accounts and end clients here are UUIDs in
 * their canonical (lower-case) spelling; anything else is refused (403)
 * before it can reach a query. No other spelling is accepted: the request
 * context keeps the claims as sent, and the audit writer and the rate limiter
 * key by them, so they must be the very strings the queries use.
 */
export function callerOf(context: RequestContext): Caller {
  const { tenantId, principal } = context;
  if (!principal || tenantId === undefined)
    throw new UnauthorizedError('Authentication is required', { code: 'AUTH_REQUIRED' });
  if (!CANONICAL_UUID.test(tenantId))
    throw new ForbiddenError('The token names a tenant this service does not know', {
      code: 'TENANT_INVALID',
    });
  if (!CANONICAL_UUID.test(principal.id))
    throw new ForbiddenError('The token names a principal this service does not know', {
      code: 'PRINCIPAL_INVALID',
    });
  return { tenantId, actorId: principal.id };
}
