import { getContext } from '@plinth/context';
import type { LoggerLike } from '@plinth/internal';

/** Which limit a lockout belongs to. */
export type LoginLockScope = 'account_ip' | 'ip';

/**
 * A failed or locked login, in the shape `@plinth/audit`'s `record` takes.
 * No tenant (the request is not authenticated; the claimed tenant is only
 * part of the hashed account), no actor, and the account only as the keyed
 * hash `resource.id` (the same value {@link LoginThrottle.accountHash} gives).
 */
export interface LoginAuditEvent {
  action: 'auth.login.failed' | 'auth.login.locked';
  /** `failure` for a wrong credential, `denied` when a lockout starts. */
  outcome: 'failure' | 'denied';
  actor: null;
  tenantId: null;
  resource: { type: 'login_account'; id: string };
  correlationId?: string;
  requestId?: string;
  /** The client address as given (not the /64 the counters use). */
  ip?: string;
  userAgent?: string;
  metadata: {
    /** Consecutive failures of this account from this address so far. */
    failures: number;
    /** `auth.login.locked` only: which limit. */
    scope?: LoginLockScope;
    /** `auth.login.locked` only: how long, in seconds. */
    lockoutSeconds?: number;
    /** `auth.login.locked` with scope `account_ip` only: the nth lockout in the window. */
    lockout?: number;
  };
}

/** Where login events go: an `AuditWriter` from `@plinth/audit` fits. */
export interface LoginAuditWriterLike {
  record(event: LoginAuditEvent): Promise<unknown> | unknown;
}

/**
 * Record without waiting: a slow, failing or throwing writer is logged and
 * never changes or delays the login response.
 */
export function recordLoginEvent(
  writer: LoginAuditWriterLike | undefined,
  logger: Required<LoggerLike>,
  base: { accountHash: string; ip: string },
  action: LoginAuditEvent['action'],
  metadata: LoginAuditEvent['metadata'],
): void {
  if (!writer) return;
  const ctx = getContext();
  const event: LoginAuditEvent = {
    action,
    outcome: action === 'auth.login.failed' ? 'failure' : 'denied',
    actor: null,
    tenantId: null,
    resource: { type: 'login_account', id: base.accountHash },
    ...(ctx ? { correlationId: ctx.correlationId, requestId: ctx.requestId } : {}),
    ip: base.ip,
    ...(ctx?.userAgent ? { userAgent: ctx.userAgent } : {}),
    metadata,
  };
  const failed = () => logger.error({ action }, 'audit writer failed to record a login event');
  try {
    Promise.resolve(writer.record(event)).catch(failed);
  } catch {
    failed();
  }
}
