import { InternalError } from '@plinth/errors';
import type { DatabaseOptions } from './types.js';

/**
 * The keys of `@plinth/config`'s `databaseFragment`, structurally: any object
 * with these keys fits (no dependency on @plinth/config). `DATABASE_URL` may
 * be a plain string or a `Secret` (anything with `reveal()`).
 */
export interface DatabaseConfigLike {
  readonly DATABASE_URL?: string | { reveal(): string } | undefined;
  readonly DATABASE_POOL_MAX?: number | undefined;
  readonly DATABASE_IDLE_TIMEOUT?: number | undefined;
  readonly DATABASE_CONNECTION_TIMEOUT?: number | undefined;
  readonly DATABASE_STATEMENT_TIMEOUT?: number | undefined;
  readonly DATABASE_IDLE_IN_TRANSACTION_TIMEOUT?: number | undefined;
}

/**
 * Map a loaded `databaseFragment` config to `createDatabase` options; `extra`
 * (logger, tracer, cursorKey, …) is merged over the result. Throws an
 * `InternalError` with code `DATABASE_URL_MISSING` when no URL is configured —
 * the message names the key, never a value.
 *
 * @example
 * ```ts
 * import { createDatabase, databaseOptionsFromConfig } from '@plinth/db-repository';
 *
 * const db = createDatabase(databaseOptionsFromConfig(config, { logger }));
 * ```
 */
export function databaseOptionsFromConfig(
  config: DatabaseConfigLike,
  extra: Partial<DatabaseOptions> = {},
): DatabaseOptions {
  if (typeof config !== 'object' || config === null)
    throw new InternalError('databaseOptionsFromConfig: config must be an object', {
      code: 'DB_CONFIG_INVALID',
    });
  const raw = config.DATABASE_URL;
  const connectionString =
    typeof raw === 'string' ? raw : typeof raw?.reveal === 'function' ? raw.reveal() : undefined;
  if (!connectionString) {
    throw new InternalError('DATABASE_URL is not configured', { code: 'DATABASE_URL_MISSING' });
  }
  const pool: NonNullable<DatabaseOptions['pool']> = {};
  if (config.DATABASE_POOL_MAX !== undefined) pool.max = config.DATABASE_POOL_MAX;
  if (config.DATABASE_IDLE_TIMEOUT !== undefined) pool.idleTimeoutMs = config.DATABASE_IDLE_TIMEOUT;
  if (config.DATABASE_CONNECTION_TIMEOUT !== undefined) {
    pool.connectionTimeoutMs = config.DATABASE_CONNECTION_TIMEOUT;
  }
  const options: DatabaseOptions = { connectionString, pool };
  if (config.DATABASE_STATEMENT_TIMEOUT !== undefined) {
    options.statementTimeoutMs = config.DATABASE_STATEMENT_TIMEOUT;
  }
  if (config.DATABASE_IDLE_IN_TRANSACTION_TIMEOUT !== undefined) {
    options.idleInTransactionTimeoutMs = config.DATABASE_IDLE_IN_TRANSACTION_TIMEOUT;
  }
  return { ...options, ...extra, pool: { ...pool, ...extra.pool } };
}
