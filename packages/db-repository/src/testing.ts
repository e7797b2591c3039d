import { randomBytes } from 'node:crypto';
import { InternalError, invalidOptions } from '@plinth/errors';
import pg from 'pg';
import { createDatabase } from './database.js';
import type { Database } from './database-types.js';
import { quoteIdentifier } from './identifier.js';
import type { DatabaseOptions } from './types.js';

/** A running embedded PostgreSQL (PGlite behind a socket server). */
export interface EmbeddedPostgres {
  /** `postgres://postgres@127.0.0.1:<port>/postgres`. */
  readonly connectionString: string;
  /** Stops the socket server and the database. Idempotent. */
  stop(): Promise<void>;
}

/**
 * Starts an in-process PostgreSQL (`@electric-sql/pglite` served by
 * `@electric-sql/pglite-socket`) on 127.0.0.1 and a random port. It is ONE
 * backend session shared by every connection: use a pool of size 1; advisory
 * locks are not exclusive, `statement_timeout` and start-up parameters are
 * ignored, transactions serialise. Both packages are optional peers, loaded here only.
 *
 * @example
 * ```ts
 * import { startEmbeddedPostgres } from '@plinth/db-repository/testing';
 *
 * const pg = await startEmbeddedPostgres();
 * const db = createDatabase({ connectionString: pg.connectionString, pool: { max: 1 } });
 * // …
 * await db.close();
 * await pg.stop();
 * ```
 */
export async function startEmbeddedPostgres(
  options: { host?: string } = {},
): Promise<EmbeddedPostgres> {
  let modules: [
    typeof import('@electric-sql/pglite'),
    typeof import('@electric-sql/pglite-socket'),
  ];
  try {
    modules = await Promise.all([
      import('@electric-sql/pglite'),
      import('@electric-sql/pglite-socket'),
    ]);
  } catch {
    throw new InternalError(
      'Embedded PostgreSQL needs @electric-sql/pglite and @electric-sql/pglite-socket installed',
      {
        code: 'EMBEDDED_POSTGRES_UNAVAILABLE',
      },
    );
  }
  const [{ PGlite }, { PGLiteSocketServer }] = modules;
  const host = options.host ?? '127.0.0.1';
  const db = await PGlite.create();
  // Several sockets may be open briefly while pg replaces a dropped connection.
  const server = new PGLiteSocketServer({ db, host, port: 0, maxConnections: 16 });
  await server.start();
  const port = server.getServerConn().split(':').pop();
  let stopped: Promise<void> | undefined;
  return {
    connectionString: `postgres://postgres@${host}:${port}/postgres`,
    stop() {
      stopped ??= (async () => {
        await server.stop();
        await db.close();
      })();
      return stopped;
    },
  };
}

/** Options of {@link createTestDatabase}. */
export interface TestDatabaseOptions {
  /** Schema name prefix; a random suffix is added. Default `test`. */
  schemaPrefix?: string;
  /** Server to use. Default `process.env.DATABASE_URL`; without it an embedded PostgreSQL starts. */
  connectionString?: string;
  /** Extra {@link createDatabase} options (pool, timeouts, logger, tracer…). */
  database?: Omit<Partial<DatabaseOptions>, 'connectionString' | 'searchPath'>;
}

/** A database bound to a fresh schema; `dispose()` drops the schema and closes everything. */
export interface TestDatabase {
  readonly db: Database;
  /** The schema every unqualified name resolves to. */
  readonly schema: string;
  /** True on the embedded fallback: skip tests that need real server semantics. */
  readonly embedded: boolean;
  /** Connection string of the server (for child processes, raw clients). */
  readonly connectionString: string;
  dispose(): Promise<void>;
}

const PREFIX = /^[a-z_][a-z0-9_]{0,40}$/;

/**
 * A {@link Database} on its own schema (`<prefix>_<random>`, first in
 * `search_path`), so test files can run in parallel against one server. Uses
 * `DATABASE_URL`, or an embedded PostgreSQL when it is unset (pool size 1).
 *
 * @example
 * ```ts
 * import { createTestDatabase } from '@plinth/db-repository/testing';
 *
 * const t = await createTestDatabase({ schemaPrefix: 'audit' });
 * await t.db.query(sql`CREATE TABLE things (id int PRIMARY KEY)`);
 * // …
 * await t.dispose();
 * ```
 */
export async function createTestDatabase(options: TestDatabaseOptions = {}): Promise<TestDatabase> {
  const prefix = options.schemaPrefix ?? 'test';
  if (!PREFIX.test(prefix))
    throw invalidOptions('createTestDatabase', {
      path: 'schemaPrefix',
      message: 'must match [a-z_][a-z0-9_]{0,40}',
    });
  const schema = `${prefix}_${randomBytes(6).toString('hex')}`;
  const quoted = quoteIdentifier(schema);
  const url = options.connectionString ?? process.env.DATABASE_URL;
  const embedded = url === undefined || url === '' ? await startEmbeddedPostgres() : undefined;
  const connectionString = embedded?.connectionString ?? url!;

  const admin = new pg.Client({ connectionString });
  await admin.connect();
  try {
    await admin.query(`CREATE SCHEMA ${quoted}`);
    // The embedded server ignores start-up parameters and shares one session: set it once there.
    if (embedded) await admin.query(`SET search_path TO ${quoted}, public`);
  } finally {
    await admin.end();
  }
  const db = createDatabase({
    ...options.database,
    connectionString,
    searchPath: [schema, 'public'],
    pool: embedded ? { ...options.database?.pool, max: 1 } : options.database?.pool,
  });
  let disposed: Promise<void> | undefined;
  return {
    db,
    schema,
    embedded: embedded !== undefined,
    connectionString,
    dispose() {
      disposed ??= (async () => {
        await db.close({ timeoutMs: 5_000 });
        if (embedded) return embedded.stop();
        const cleanup = new pg.Client({ connectionString });
        await cleanup.connect();
        try {
          await cleanup.query(`DROP SCHEMA IF EXISTS ${quoted} CASCADE`);
        } finally {
          await cleanup.end();
        }
      })();
      return disposed;
    },
  };
}
