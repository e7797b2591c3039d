import { duration, int, secret, url } from '@plinth/config';
import { invalidOptions, requireOptionsObject } from '@plinth/errors';
import { z } from 'zod';
import type { DatabaseOptions } from './types.js';

/**
 * The database settings, as a `@plinth/config` schema fragment: spread it
 * into your `z.object` and turn the loaded values into `createDatabase`
 * options with {@link databaseOptionsFromConfig}. `DATABASE_URL` and
 * `DATABASE_CURSOR_KEY` are secrets; the URL is optional here because the
 * example services fall back to an embedded PostgreSQL.
 *
 * @example
 * ```ts
 * import { loadConfig } from '@plinth/config';
 * import { databaseFragment } from '@plinth/db-repository/config';
 * import { z } from 'zod';
 *
 * const config = await loadConfig({ schema: z.object({ ...databaseFragment }) });
 * config.DATABASE_POOL_MAX; // 10
 * ```
 */
export const databaseFragment = {
  DATABASE_URL: secret(url({ protocols: ['postgres', 'postgresql'] }))
    .optional()
    .describe('PostgreSQL connection URL (postgres://user:password@host:5432/db).'),
  DATABASE_POOL_MAX: int({ min: 1, max: 1000 })
    .default(10)
    .describe('Maximum connections in the pool.'),
  DATABASE_IDLE_TIMEOUT: duration({ min: 0 })
    .default(10_000)
    .describe('How long an idle pooled connection is kept before it is closed.'),
  DATABASE_CONNECTION_TIMEOUT: duration({ min: 0 })
    .default(5_000)
    .describe('How long to wait for a new connection before failing.'),
  DATABASE_STATEMENT_TIMEOUT: duration({ min: 0 })
    .default(30_000)
    .describe('Server-side statement_timeout for every session.'),
  DATABASE_IDLE_IN_TRANSACTION_TIMEOUT: duration({ min: 0 })
    .default(60_000)
    .describe('Server-side idle_in_transaction_session_timeout for every session.'),
  DATABASE_CURSOR_KEY: secret(z.string().min(32))
    .optional()
    .describe(
      'Key (≥ 32 bytes) of pagination cursors; the same on every instance. Random per process when unset.',
    ),
};

/**
 * The keys of {@link databaseFragment}, structurally: `DATABASE_URL` and
 * `DATABASE_CURSOR_KEY` may be plain strings or `Secret`s (anything with `reveal()`).
 */
export interface DatabaseConfigLike {
  readonly DATABASE_URL?: string | { reveal(): string } | undefined;
  readonly DATABASE_POOL_MAX?: number | undefined;
  readonly DATABASE_IDLE_TIMEOUT?: number | undefined;
  readonly DATABASE_CONNECTION_TIMEOUT?: number | undefined;
  readonly DATABASE_STATEMENT_TIMEOUT?: number | undefined;
  readonly DATABASE_IDLE_IN_TRANSACTION_TIMEOUT?: number | undefined;
  readonly DATABASE_CURSOR_KEY?: string | { reveal(): string } | undefined;
}

const reveal = (v: string | { reveal(): string } | undefined) =>
  typeof v === 'string' ? v : v?.reveal();

/**
 * `createDatabase` options from a loaded {@link databaseFragment}; `extra`
 * (logger, tracer, …) is merged over them, `pool` key by key. Without a URL
 * it throws an `OptionsError` with code `DATABASE_URL_MISSING` (so a service
 * can tell it apart and start an embedded server); the message names the
 * key, never a value.
 *
 * @example
 * ```ts
 * import { createDatabase } from '@plinth/db-repository';
 * import { databaseOptionsFromConfig } from '@plinth/db-repository/config';
 *
 * const db = createDatabase(databaseOptionsFromConfig(config, { logger }));
 * ```
 */
export function databaseOptionsFromConfig(
  config: DatabaseConfigLike,
  extra: Partial<DatabaseOptions> = {},
): DatabaseOptions {
  if (typeof config !== 'object' || config === null)
    throw invalidOptions('databaseOptionsFromConfig', {
      path: 'config',
      message: 'must be the loaded configuration object',
    });
  requireOptionsObject(extra, 'databaseOptionsFromConfig');
  const connectionString = reveal(config.DATABASE_URL);
  if (!connectionString)
    throw invalidOptions(
      'databaseOptionsFromConfig',
      { path: 'DATABASE_URL', message: 'is not configured' },
      { code: 'DATABASE_URL_MISSING' },
    );
  const options: DatabaseOptions = {
    connectionString,
    pool: {
      max: config.DATABASE_POOL_MAX,
      idleTimeoutMs: config.DATABASE_IDLE_TIMEOUT,
      connectionTimeoutMs: config.DATABASE_CONNECTION_TIMEOUT,
    },
    statementTimeoutMs: config.DATABASE_STATEMENT_TIMEOUT,
    idleInTransactionTimeoutMs: config.DATABASE_IDLE_IN_TRANSACTION_TIMEOUT,
    cursorKey: reveal(config.DATABASE_CURSOR_KEY),
  };
  return { ...options, ...extra, pool: { ...options.pool, ...extra.pool } };
}
