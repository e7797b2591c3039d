import type { RequestContext } from '@plinth/context';
import { ForbiddenError, UnauthorizedError } from '@plinth/errors';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The authenticated caller of a request: tenant (a UUID) and principal id. */
export interface Caller {
  readonly tenantId: string;
  readonly actorId: string;
}

/**
 * The caller of an authenticated route. JWT auth has already required a
 * tenant claim; tenants here are UUIDs, so anything else is refused (403)
 * before it can reach a query.
 */
export function callerOf(context: RequestContext): Caller {
  const { tenantId, principal } = context;
  if (!principal || tenantId === undefined)
    throw new UnauthorizedError('Authentication is required', { code: 'AUTH_REQUIRED' });
  if (!UUID.test(tenantId))
    throw new ForbiddenError('The token names a tenant this service does not know', {
      code: 'TENANT_INVALID',
    });
  return { tenantId: tenantId.toLowerCase(), actorId: principal.id };
}
