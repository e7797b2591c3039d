import { ValidationError } from '@plinth/errors';
import type { CheckDefinition } from '../types.js';
import { type BuiltInCheckOptions, withOptions } from './check-options.js';

/**
 * Anything that can prove a PostgreSQL connection works: a
 * `@plinth/db-repository` Database (`ping()`), a `pg.Pool` or `pg.Client`
 * (`query(text)`).
 */
export type PostgresLike = { ping(): Promise<unknown> } | { query(text: string): Promise<unknown> };

/**
 * A readiness check for PostgreSQL: `db.ping()` when available, else `SELECT 1`.
 * Fails with a generic reason (`connection refused`, `authentication failed`,
 * `timed out after 500 ms`…), never with the server's message.
 *
 * @example
 * ```ts
 * import { createHealth, postgresCheck } from '@plinth/health';
 *
 * const health = createHealth({ checks: { postgres: postgresCheck(pool) } });
 * ```
 */
export function postgresCheck(db: PostgresLike, options?: BuiltInCheckOptions): CheckDefinition {
  if (typeof db !== 'object' || db === null) {
    throw new ValidationError('postgresCheck needs a Database or a pg Pool');
  }
  const target = db as { ping?: unknown; query?: unknown };
  let check: CheckDefinition['check'];
  if (typeof target.ping === 'function') {
    const ping = target.ping as () => Promise<unknown>;
    check = async () => {
      await ping.call(db);
    };
  } else if (typeof target.query === 'function') {
    const query = target.query as (text: string) => Promise<unknown>;
    check = async () => {
      await query.call(db, 'SELECT 1');
    };
  } else {
    throw new ValidationError('postgresCheck needs an object with ping() or query()');
  }
  return withOptions({ check, componentType: 'datastore' }, options);
}
