import type { RoutePolicy } from '@plinth/http-adapters';

/**
 * Who may call a staff route. Roles are not hierarchical in the token (an
 * admin token may carry only `admin`), so each policy lists every role that
 * includes the permission.
 */
export const policies = {
  /** viewer, staff and admin read. */
  read: { roles: ['viewer', 'staff', 'admin'] },
  /** staff and admin write. */
  write: { roles: ['staff', 'admin'] },
  /** admin alone deletes and reads the audit trail. */
  admin: { roles: ['admin'] },
} as const satisfies Record<string, RoutePolicy>;
