import { invalidOptions } from '@plinth/errors';
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
  const { ping, query } = (db ?? {}) as {
    ping?: () => Promise<unknown>;
    query?: (text: string) => Promise<unknown>;
  };
  if (typeof ping !== 'function' && typeof query !== 'function') {
    throw invalidOptions('postgresCheck', { path: 'db', message: 'must have ping() or query()' });
  }
  const check = async () => {
    await (typeof ping === 'function' ? ping.call(db) : query?.call(db, 'SELECT 1'));
  };
  return withOptions({ check, componentType: 'datastore' }, options);
}
