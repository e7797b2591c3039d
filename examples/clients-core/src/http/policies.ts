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

/**
 * `policy` plus the path parameter naming the resource the route acts on, so a
 * denied request (401/403) shows in that resource's audit trail
 * (`GET /v1/audit-events?resourceId=…`).
 */
export const forResource = <P extends RoutePolicy>(policy: P, type: string, param = 'id') => ({
  ...policy,
  auditResource: { type, param },
});
