import { getContext } from '@plinth/context';
import { InternalError } from '@plinth/errors';

/**
 * The tenant of the ambient request context. A tenant-scoped repository
 * reached without one is a wiring bug (the boundary should have rejected the
 * request), so it fails closed with a 500 `TENANT_REQUIRED` — see ADR 0061.
 */
export function requireTenant(table: string): string {
  const tenantId = getContext()?.tenantId;
  if (typeof tenantId !== 'string' || tenantId.length === 0) {
    throw new InternalError(
      'A tenant-scoped repository was called without a tenant in the request context',
      {
        code: 'TENANT_REQUIRED',
        context: { table },
      },
    );
  }
  return tenantId;
}

/**
 * A transaction already bound to one tenant was reached by a tenant-scoped
 * call for another: a wiring bug (one request's context leaked into another's
 * transaction), so it fails closed before any SQL — see ADR 0065. Tenant ids
 * stay out of the error.
 */
export function tenantMismatch(table: string): InternalError {
  return new InternalError(
    'A tenant-scoped repository was called for a different tenant than the one its transaction is bound to',
    { code: 'TENANT_MISMATCH', context: { table } },
  );
}
