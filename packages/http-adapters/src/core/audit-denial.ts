import type { AppError } from '@plinth/errors';
import type { LoggerLike } from '@plinth/internal';
import type { RequestState } from './core-types.js';

/** The event shape of `@plinth/audit`'s `writer.record` (structural: no runtime dependency). */
export interface AuditEventLike {
  action: string;
  outcome: 'denied';
  actor: { id: string; type: string } | null;
  tenantId: string | null;
  correlationId: string;
  requestId: string;
  ip?: string;
  userAgent?: string;
  /** The resource the request was after, when its route names one ({@link DenialAuditPolicy}). */
  resource?: { type: string; id: string };
  metadata: { method: string; route: string; code: string; reason?: string };
}

/**
 * Route policy field naming the path parameter that identifies the resource a
 * route acts on, so a denied request appears in that resource's audit trail
 * (`query({ resourceId })`). Taken only from validated params: a request
 * refused before validation, or whose id does not validate, has no resource.
 *
 * @example
 * ```ts
 * defineRoute({ method: 'DELETE', path: '/v1/clients/:id', schema: { params },
 *   policy: { roles: ['admin'], auditResource: { type: 'client', param: 'id' } }, handler });
 * ```
 */
export interface DenialAuditPolicy {
  auditResource?: { readonly type: string; readonly param: string };
}

/** The `resource` of a denial from a route's policy and its validated params. */
export function deniedResource(
  policy: DenialAuditPolicy | undefined,
  params: unknown,
): { type: string; id: string } | undefined {
  const named = policy?.auditResource;
  if (!named || typeof params !== 'object' || params === null) return undefined;
  const id = (params as Record<string, unknown>)[named.param];
  return typeof id === 'string' || typeof id === 'number'
    ? { type: named.type, id: String(id) }
    : undefined;
}

/** Where denials go: an `AuditWriter` from `@plinth/audit` fits. */
export interface AuditWriterLike {
  record(event: AuditEventLike): Promise<unknown> | unknown;
}

/** The internal refusal reason of an auth error (`expired`, `role`, …), if it has one. */
export function refusalReason(err: AppError): string | undefined {
  const reason = err.code.startsWith('AUTH_') ? err.context?.reason : undefined;
  return typeof reason === 'string' ? reason : undefined;
}

/**
 * Record a 401 or 403 as an audit event, without waiting: a slow, failing or
 * throwing writer is logged and never changes or delays the response.
 */
export function auditDenial(
  writer: AuditWriterLike | undefined,
  err: AppError,
  state: RequestState | undefined,
  method: string,
  logger: LoggerLike,
): void {
  if (!writer || !state || (err.status !== 401 && err.status !== 403)) return;
  // Already recorded under a more specific action (a failed login: ADR 0106).
  if (err.context?.audited === true) return;
  const { context } = state;
  const p = context.principal;
  const reason = refusalReason(err);
  const event: AuditEventLike = {
    action: err.status === 401 ? 'auth.token.rejected' : 'auth.access.denied',
    outcome: 'denied',
    actor: p ? { id: p.id, type: p.type } : null,
    tenantId: context.tenantId ?? null,
    correlationId: context.correlationId,
    requestId: context.requestId,
    ...(context.ip ? { ip: context.ip } : {}),
    ...(context.userAgent ? { userAgent: context.userAgent } : {}),
    ...(state.resource ? { resource: state.resource } : {}),
    metadata: {
      method,
      route: state.route ?? '(unmatched)',
      code: err.code,
      ...(reason ? { reason } : {}),
    },
  };
  const failed = () =>
    logger.error({ errorCode: err.code }, 'audit writer failed to record a denial');
  try {
    Promise.resolve(writer.record(event)).catch(failed);
  } catch {
    failed();
  }
}
