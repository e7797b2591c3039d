import type { AuditReader, AuditRecord, AuditWriter } from '@plinth/audit';
import { defineRoute, type RouteDefinition, reply } from '@plinth/http-adapters';
import { z } from 'zod';
import { policies } from '../http/policies.js';
import { callerOf } from '../http/tenant.js';
import { canonicalIfUuid } from '../uuid.js';

/** An id to filter by: a UUID in any case finds the events stored under its canonical spelling. */
const token = z.string().min(1).max(128).overwrite(canonicalIfUuid);

/** Query of `GET /v1/audit-events`: every filter optional; the tenant is always the caller's. */
export const auditEventsQuery = z.object({
  resourceId: token.optional(),
  resourceType: z
    .string()
    .regex(/^[a-z][a-z0-9_.-]{0,63}$/)
    .optional(),
  action: z
    .string()
    .regex(/^[a-z][a-z0-9_.]*(\.\*)?$/)
    .max(128)
    .optional(),
  outcome: z.enum(['success', 'failure', 'denied']).optional(),
  actorId: token.optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().min(1).max(512).optional(),
});

/** An audit record as the API shows it (the encrypted payload never leaves the store). */
export const toAuditEventJson = (r: AuditRecord) => ({
  id: r.id,
  seq: r.seq,
  action: r.action,
  outcome: r.outcome,
  actor: r.actor,
  resource: r.resource,
  correlationId: r.correlationId,
  requestId: r.requestId,
  ip: r.ip,
  userAgent: r.userAgent,
  metadata: r.metadata,
  occurredAt: r.occurredAt.toISOString(),
});

/**
 * `GET /v1/audit-events` (admin): the caller's tenant's trail, newest first,
 * including denied attempts and reads of personal data. Reading the trail is
 * itself recorded.
 *
 * @example
 * ```ts
 * const routes = auditEventRoutes(audit.reader, audit.writer);
 * ```
 */
export function auditEventRoutes(reader: AuditReader, writer: AuditWriter): RouteDefinition[] {
  return [
    defineRoute({
      method: 'GET',
      path: '/v1/audit-events',
      schema: { query: auditEventsQuery },
      policy: policies.admin,
      handler: async ({ query, context }) => {
        callerOf(context);
        // Reads and denials are batched; write what is queued so the trail is current.
        // A batch that failed is already reported through the log's onError.
        await writer.flush().catch(() => undefined);
        const page = await reader.query(query);
        await writer.record({
          action: 'audit.read',
          outcome: 'success',
          metadata: {
            filters: Object.keys(query)
              .filter((k) => k !== 'limit')
              .sort(),
          },
        });
        return reply(
          200,
          { items: page.items.map(toAuditEventJson), nextCursor: page.nextCursor },
          { 'cache-control': 'no-store' },
        );
      },
    }),
  ];
}
