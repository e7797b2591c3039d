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
