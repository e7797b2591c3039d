import type { Database } from '@plinth/db-repository';
import type { HandlerRequest, RouteSchema } from '@plinth/http-adapters';

/**
 * Wraps a mutating handler in one database transaction, committed when the
 * handler returns and rolled back when it throws. Services and the audit
 * writer (mode `auto`) join the ambient transaction, so the change and its
 * audit event are stored together or not at all.
 *
 * @example
 * ```ts
 * handler: inTransaction(db, ({ body, context }) => clients.create(callerOf(context), body)),
 * ```
 */
export function inTransaction<S extends RouteSchema, T>(
  db: Database,
  handler: (request: HandlerRequest<S>) => Promise<T>,
): (request: HandlerRequest<S>) => Promise<T> {
  return (request) => db.transaction(() => handler(request));
}
