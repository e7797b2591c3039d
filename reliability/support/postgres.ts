import { randomBytes } from 'node:crypto';
import pg from 'pg';

export interface FreshDatabase {
  /** Name of the database (`rel_<prefix>_<random>`). */
  readonly name: string;
  /** URL of the new database on the real server. */
  readonly url: string;
  /** Host and port of the server, for a proxy in front of it. */
  readonly server: { host: string; port: number };
  /** The same URL with host:port replaced (e.g. by a proxy) and query parameters added. */
  urlVia(address: string, params?: Record<string, string>): string;
  /** A query on the new database through a short-lived direct connection. */
  query<R extends pg.QueryResultRow = pg.QueryResultRow>(
    text: string,
    values?: unknown[],
  ): Promise<pg.QueryResult<R>>;
  /** Drops the database (terminating whatever is still connected). */
  drop(): Promise<void>;
}

const adminUrl = () => {
  const url = process.env.DATABASE_URL;
  if (!url)
    throw new Error('DATABASE_URL is not set: the reliability suite needs a PostgreSQL server');
  return url;
};

/** Creates an empty database on the server of DATABASE_URL, for one scenario run. */
export async function createFreshDatabase(prefix: string): Promise<FreshDatabase> {
  const base = new URL(adminUrl());
  const name = `rel_${prefix.replace(/[^a-z0-9_]/gi, '_').toLowerCase()}_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: base.toString() });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE "${name}"`);
  } finally {
    await admin.end();
  }
  const url = new URL(base.toString());
  url.pathname = `/${name}`;
  const pool = new pg.Pool({ connectionString: url.toString(), max: 2 });
  pool.on('error', () => {});
  let dropped = false;
  return {
    name,
    url: url.toString(),
    server: { host: base.hostname, port: Number(base.port || 5432) },
    urlVia(address, params = {}) {
      const u = new URL(url.toString());
      u.host = address;
      for (const [k, v] of Object.entries(params)) u.searchParams.set(k, v);
      return u.toString();
    },
    query: (text, values) => pool.query(text, values as unknown[]),
    async drop() {
      if (dropped) return;
      dropped = true;
      await pool.end();
      const c = new pg.Client({ connectionString: base.toString() });
      await c.connect();
      try {
        await c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      } finally {
        await c.end();
      }
    },
  };
}
