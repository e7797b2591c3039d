import { randomBytes } from 'node:crypto';
import { ServiceUnavailableError } from '@plinth/errors';
import { settlesWithin } from '@plinth/internal';
import pg from 'pg';
import type { ZodType } from 'zod';
import { checkCursorKey } from './cursor.js';
import type { Database } from './database-types.js';
import { usageError } from './errors.js';
import { type DatabaseInternals, INTERNALS } from './internal.js';
import { isConnectionLevelError, mapPgError, safePgMessage } from './map-pg-error.js';
import { parseRows } from './parse-rows.js';
import { resolveOptions } from './resolve-options.js';
import { isSqlQuery, type SqlQuery } from './sql.js';
import { createInstrumentation, type QueryMeta } from './telemetry.js';
import { tenantMismatch } from './tenant.js';
import { checkout, runTransaction } from './transaction.js';
import { txStore } from './transaction-state.js';
import type { DatabaseOptions, QueryResult } from './types.js';

type Rows = { rows: Record<string, unknown>[]; rowCount: number };

/**
 * Creates a {@link Database} over a `pg.Pool`: per-connection
 * `statement_timeout` and `idle_in_transaction_session_timeout`, an
 * `application_name`, a pool `error` handler that logs instead of crashing,
 * query spans and slow-query logging.
 *
 * @example
 * ```ts
 * import { createDatabase, sql } from '@plinth/db-repository';
 *
 * const db = createDatabase({ connectionString: process.env.DATABASE_URL!, logger });
 * const user = await db.maybeOne(sql`SELECT id, email FROM users WHERE id = ${id}`);
 * await db.close();
 * ```
 */
export function createDatabase(options: DatabaseOptions): Database {
  const o = resolveOptions(options);
  const pool = new pg.Pool(o.poolConfig);
  const logger = options.logger;
  const instrumentation = createInstrumentation({
    tracer: options.tracer,
    logger,
    slowQueryMs: o.slowQueryMs,
    ...o.server,
  });
  const checkedOut = new Set<pg.PoolClient>();
  let closing: Promise<{ forced: number }> | undefined;

  const logClientError = (err: Error, where: string) =>
    logger?.error(
      { err: { sqlState: (err as { code?: unknown }).code, message: safePgMessage(err) } },
      `PostgreSQL ${where} connection failed; it will not be reused`,
    );
  pool.on('error', (err) => logClientError(err, 'idle'));
  pool.on('connect', (client) => {
    // pg-pool removes its own listener while a client is checked out; without ours a
    // connection dying between two queries of a transaction would crash the process.
    client.on('error', (err) => {
      if (checkedOut.has(client)) logClientError(err, 'checked-out');
    });
  });
  pool.on('acquire', (client) => checkedOut.add(client));
  pool.on('release', (_err, client) => checkedOut.delete(client));

  async function run(
    client: pg.PoolClient,
    text: string,
    values: readonly unknown[],
    meta?: QueryMeta,
  ): Promise<Rows> {
    const startedAt = performance.now();
    const span = instrumentation.start(text, meta);
    try {
      const res = await client.query({
        text,
        values: values as unknown[],
        queryMode: 'extended',
      } as pg.QueryConfig);
      instrumentation.end(span, text, meta, startedAt);
      return { rows: res.rows, rowCount: res.rowCount ?? 0 };
    } catch (err) {
      const mapped = mapPgError(err);
      instrumentation.end(span, text, meta, startedAt, {
        code: mapped.code,
        sqlState: mapped.context?.sqlState as string | undefined,
      });
      throw mapped;
    }
  }

  async function exec(text: string, values: readonly unknown[], meta?: QueryMeta): Promise<Rows> {
    const state = txStore.getStore();
    if (state !== undefined && state.owner === db) {
      if (state.closed)
        throw usageError(
          'Query issued after its transaction finished; await every query inside the transaction',
          'TRANSACTION_CLOSED',
        );
      if (state.childOpen)
        throw usageError(
          'Query issued on a transaction while a nested transaction is running; await the nested transaction first',
          'CONCURRENT_NESTED_TRANSACTION',
        );
      return run(state.client, text, values, meta);
    }
    if (closing)
      throw new ServiceUnavailableError('The database is closing', { code: 'DB_CLOSED' });
    const client = await checkout(pool);
    let broken: Error | undefined;
    try {
      return await run(client, text, values, meta);
    } catch (err) {
      if (isConnectionLevelError(err)) broken = err as Error;
      throw err;
    } finally {
      client.release(broken);
    }
  }

  async function query<T>(q: SqlQuery, schema?: ZodType<T>): Promise<QueryResult<T>> {
    if (!isSqlQuery(q))
      throw usageError(
        'db.query takes a query built with sql`…`; raw strings need sql.unsafe()',
        'SQL_NOT_FRAGMENT',
      );
    const res = await exec(q.text, q.values);
    return {
      rows: schema ? parseRows(res.rows, schema) : (res.rows as T[]),
      rowCount: res.rowCount,
    };
  }

  const internals: DatabaseInternals = {
    exec,
    cursorKey:
      options.cursorKey === undefined ? randomBytes(32) : checkCursorKey(options.cursorKey),
    bindTenant(tenantId, table) {
      const state = txStore.getStore();
      if (state === undefined || state.owner !== db || state.closed) return;
      const bound = state.shared.boundTenant;
      if (bound === undefined) state.shared.boundTenant = tenantId;
      else if (bound !== tenantId) throw tenantMismatch(table);
    },
    async withTenant(tenantId, fn) {
      // set_config(…, true) is transaction-local: a pooled connection never carries a tenant over.
      const ensureTenant = async () => {
        const state = txStore.getStore()!;
        if (state.shared.rlsTenant !== tenantId) {
          await exec("SELECT set_config('app.tenant_id', $1, true)", [tenantId], {
            operation: 'SELECT',
          });
          state.shared.rlsTenant = tenantId;
        }
        return fn();
      };
      return db.inTransaction() ? ensureTenant() : runTransaction(db, pool, ensureTenant);
    },
  };

  const db: Database & { [INTERNALS]: DatabaseInternals } = {
    [INTERNALS]: internals,
    query,
    async one(q, schema) {
      const { rows } = await query(q, schema);
      // A query that should find its row and does not is a bug here, not a client's 404.
      if (rows.length !== 1)
        throw usageError(
          `db.one: expected exactly one row, the query returned ${rows.length === 0 ? 'none' : 'more'}`,
          rows.length === 0 ? 'DB_NO_ROW' : 'UNEXPECTED_ROW_COUNT',
          { rowCount: rows.length },
        );
      return rows[0]!;
    },
    async maybeOne(q, schema) {
      const { rows } = await query(q, schema);
      if (rows.length > 1)
        throw usageError(
          'db.maybeOne: the query returned more than one row',
          'UNEXPECTED_ROW_COUNT',
          { rowCount: rows.length },
        );
      return rows[0] ?? null;
    },
    async many(q, schema) {
      return (await query(q, schema)).rows;
    },
    transaction: (fn, txOptions) => runTransaction(db, pool, fn, txOptions),
    inTransaction() {
      const state = txStore.getStore();
      return state !== undefined && state.owner === db && !state.closed;
    },
    async ping() {
      if (closing)
        throw new ServiceUnavailableError('The database is closing', { code: 'DB_CLOSED' });
      const startedAt = performance.now();
      const client = await checkout(pool);
      let broken: Error | undefined;
      try {
        await run(client, 'SELECT 1', [], { operation: 'SELECT' });
      } catch (err) {
        broken = err as Error;
        throw err;
      } finally {
        client.release(broken);
      }
      return { latencyMs: performance.now() - startedAt };
    },
    close(closeOptions = {}) {
      closing ??= closePool(pool, checkedOut, closeOptions.timeoutMs ?? o.closeTimeoutMs, logger);
      return closing;
    },
    pool,
  };
  return db;
}

async function closePool(
  pool: pg.Pool,
  checkedOut: Set<pg.PoolClient>,
  timeoutMs: number,
  logger: DatabaseOptions['logger'],
) {
  const ended = pool.end();
  if (await settlesWithin(ended, timeoutMs)) return { forced: 0 };
  const forced = checkedOut.size;
  logger?.warn(
    { forced, timeoutMs },
    'database close deadline passed; terminating checked-out connections',
  );
  // Ending the connection fails the in-flight query; its release then lets pool.end() finish.
  for (const client of checkedOut) void client.end().catch(() => undefined);
  // A client its holder never releases must not hang shutdown.
  await settlesWithin(ended, 1_000);
  return { forced };
}
