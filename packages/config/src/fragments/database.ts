import { duration } from '../primitives/duration.js';
import { int } from '../primitives/numbers.js';
import { url } from '../primitives/url.js';
import { secret } from '../secret-schema.js';

/**
 * Database keys for `@plinth/db-repository`'s `createDatabase`. Spread into
 * your `z.object`. `DATABASE_URL` is a secret (it usually holds a password)
 * and optional here, because the example services fall back to embedded
 * PostgreSQL; override it with a required schema if your service needs one.
 *
 * @example
 * ```ts
 * import { databaseFragment, loadConfig } from '@plinth/config';
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
};
