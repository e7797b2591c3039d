// Embedded PostgreSQL for the demo (and the contract suite when DATABASE_URL is
// unset): PGlite (PostgreSQL compiled to WASM, in this process) served over the
// PostgreSQL wire protocol by pglite-socket, so a service in another process
// connects with an ordinary postgres:// URL. The same approach as
// startEmbeddedPostgres in @plinth/db-repository/testing. PGlite is ONE backend
// session: give the service a pool of one connection (DATABASE_POOL_MAX=1).
import { PGlite } from '@electric-sql/pglite';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';

/**
 * Starts an in-memory PostgreSQL on 127.0.0.1 and a free port.
 *
 * @param {{ host?: string }} [options]
 * @returns {Promise<{ connectionString: string, stop(): Promise<void> }>}
 */
export async function startEmbeddedPostgres(options = {}) {
  const host = options.host ?? '127.0.0.1';
  const db = await PGlite.create();
  // Several sockets may be open briefly while pg replaces a dropped connection.
  const server = new PGLiteSocketServer({ db, host, port: 0, maxConnections: 16 });
  await server.start();
  const port = server.getServerConn().split(':').pop();
  /** @type {Promise<void> | undefined} */
  let stopped;
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
