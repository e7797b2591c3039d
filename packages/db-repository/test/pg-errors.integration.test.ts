import { inspect } from 'node:util';
import { type Database, type SqlQuery, sql } from '@plinth/db-repository';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { embedded, setupDb } from './helpers.js';

let t: Awaited<ReturnType<typeof setupDb>>;
let db: Database;
const SECRET = 'secret-value@example.com';

beforeAll(async () => {
  t = await setupDb('pgerr', { statementTimeoutMs: 300 });
  db = t.db;
  await db.query(sql`CREATE TABLE parent (id int PRIMARY KEY)`);
  await db.query(sql`CREATE TABLE child (
    id int PRIMARY KEY,
    parent_id int REFERENCES parent(id),
    email varchar(40) UNIQUE,
    qty int NOT NULL CHECK (qty >= 0) DEFAULT 0)`);
  await db.query(sql`INSERT INTO parent VALUES (1), (2)`);
  await db.query(sql`INSERT INTO child (id, parent_id, email) VALUES (1, 1, ${SECRET})`);
});
afterAll(() => t?.dispose());

async function failure(run: () => Promise<unknown>) {
  try {
    await run();
  } catch (err) {
    return err as { code: string; status: number; context?: Record<string, unknown> };
  }
  throw new Error('expected a failure');
}

describe('PostgreSQL errors produced for real', () => {
  it('maps a unique violation to 409 with constraint and columns but no values', async () => {
    const err = await failure(() =>
      db.query(sql`INSERT INTO child (id, email) VALUES (2, ${SECRET})`),
    );
    expect(err).toMatchObject({ code: 'UNIQUE_VIOLATION', status: 409 });
    expect(err.context).toMatchObject({
      sqlState: '23505',
      constraint: 'child_email_key',
      table: 'child',
      columns: ['email'],
    });
    expect(JSON.stringify(err)).not.toContain(SECRET);
  });

  it('maps a foreign-key violation to 400', async () => {
    const err = await failure(() =>
      db.query(sql`INSERT INTO child (id, parent_id) VALUES (3, ${99})`),
    );
    expect(err).toMatchObject({
      code: 'FOREIGN_KEY_VIOLATION',
      status: 400,
      context: { sqlState: '23503', constraint: 'child_parent_id_fkey' },
    });
  });

  it('maps a not-null violation to 400 with the column', async () => {
    const err = await failure(() => db.query(sql`INSERT INTO child (id, qty) VALUES (4, ${null})`));
    expect(err).toMatchObject({
      code: 'NOT_NULL_VIOLATION',
      status: 400,
      context: { sqlState: '23502', column: 'qty' },
    });
  });

  it('maps a check violation to 400', async () => {
    const err = await failure(() => db.query(sql`INSERT INTO child (id, qty) VALUES (5, ${-1})`));
    expect(err).toMatchObject({
      code: 'CHECK_VIOLATION',
      context: { sqlState: '23514', constraint: 'child_qty_check' },
    });
  });

  it('keeps no value from a trigger RAISE message in the error or its cause, only codes and object names', async () => {
    await db.query(sql`CREATE TABLE guarded (id int PRIMARY KEY, email text)`);
    await db.query(
      sql.unsafe(`CREATE FUNCTION guard() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF NEW.id = 1 THEN
          RAISE EXCEPTION 'email % is not allowed', NEW.email
            USING ERRCODE = '23514', CONSTRAINT = 'email_allowed', TABLE = 'guarded', COLUMN = 'email';
        END IF;
        RAISE EXCEPTION 'lookup failed for %', NEW.email USING ERRCODE = '42P01';
      END $$`),
    );
    await db.query(
      sql`CREATE TRIGGER guard BEFORE INSERT ON guarded FOR EACH ROW EXECUTE FUNCTION guard()`,
    );
    const check = await failure(() => db.query(sql`INSERT INTO guarded VALUES (1, ${SECRET})`));
    expect(check).toMatchObject({
      code: 'CHECK_VIOLATION',
      status: 400,
      context: {
        sqlState: '23514',
        constraint: 'email_allowed',
        table: 'guarded',
        column: 'email',
      },
    });
    const other = await failure(() => db.query(sql`INSERT INTO guarded VALUES (2, ${SECRET})`));
    expect(other.context).toMatchObject({ sqlState: '42P01' });
    for (const err of [check, other]) {
      const cause = (err as unknown as Error).cause as Error;
      expect(cause.message).toMatch(/^PostgreSQL error (23514|42P01)$/);
      expect(inspect(err, { depth: 10 })).not.toContain(SECRET);
      expect(`${cause.stack}${JSON.stringify(err)}`).not.toContain(SECRET);
    }
  });

  it('keeps the scrubbed server message of classes that name objects only, for debugging', async () => {
    const err = await failure(() => db.query(sql`SELECT * FROM no_such_table`));
    expect(((err as unknown as Error).cause as Error).message).toContain('no_such_table');
  });

  it('maps invalid text for a typed parameter to 400 without echoing it', async () => {
    const err = await failure(() => db.query(sql`SELECT * FROM child WHERE id = ${SECRET}`));
    expect(err).toMatchObject({ code: 'INVALID_TEXT_REPRESENTATION', status: 400 });
    expect(JSON.stringify(err)).not.toContain(SECRET);
    expect(String((err as unknown as Error).cause)).not.toContain(SECRET);
  });

  it('maps client values the server cannot take (NUL byte, out-of-range int, bad date) to 400', async () => {
    const cases: [SqlQuery, string, string][] = [
      [sql`SELECT ${`a\u0000${SECRET}`}::text`, 'INVALID_CHARACTER', '22021'],
      [sql`SELECT ${'99999999999'}::int`, 'NUMERIC_OUT_OF_RANGE', '22003'],
      [sql`SELECT ${'2024-01-01 25:61'}::timestamptz`, 'DATETIME_OUT_OF_RANGE', '22008'],
      [sql`SELECT ${`${SECRET} yesterday-ish`}::timestamptz`, 'INVALID_DATETIME_FORMAT', '22007'],
    ];
    for (const [q, code, sqlState] of cases) {
      const err = await failure(() => db.query(q));
      expect(err).toMatchObject({ code, status: 400, context: { sqlState } });
      expect(JSON.stringify(err)).not.toContain(SECRET);
      expect(String((err as unknown as Error).cause)).not.toContain(SECRET);
    }
  });

  it('maps a too-long string to 400', async () => {
    const err = await failure(() =>
      db.query(sql`INSERT INTO child (id, email) VALUES (6, ${'x'.repeat(41)})`),
    );
    expect(err).toMatchObject({ code: 'STRING_TOO_LONG', context: { sqlState: '22001' } });
  });

  it.skipIf(embedded)(
    'maps a statement timeout to TimeoutError (needs a real server: embedded ignores statement_timeout)',
    async () => {
      const err = await failure(() => db.query(sql`SELECT pg_sleep(5)`));
      expect(err).toMatchObject({
        code: 'QUERY_TIMEOUT',
        status: 504,
        context: { sqlState: '57014' },
      });
    },
  );

  it.skipIf(embedded)(
    'maps a serialization failure of two SERIALIZABLE transactions to a retryable conflict (needs concurrent sessions)',
    async () => {
      await db.query(sql`CREATE TABLE IF NOT EXISTS ser (k int PRIMARY KEY, v int)`);
      await db.query(sql`INSERT INTO ser VALUES (1, 0), (2, 0) ON CONFLICT DO NOTHING`);
      let release!: () => void;
      const bothRead = new Promise<void>((r) => {
        release = r;
      });
      let reads = 0;
      const tx = (read: number, write: number) =>
        db.transaction(
          async () => {
            await db.query(sql`SELECT sum(v) FROM ser WHERE k = ${read}`);
            if (++reads === 2) release();
            await bothRead;
            await db.query(sql`UPDATE ser SET v = v + 1 WHERE k = ${write}`);
          },
          { isolation: 'serializable', retries: 0 },
        );
      const results = await Promise.allSettled([tx(1, 2), tx(2, 1)]);
      const rejected = results.filter((r) => r.status === 'rejected') as PromiseRejectedResult[];
      expect(rejected).toHaveLength(1);
      expect(rejected[0]!.reason).toMatchObject({
        code: 'SERIALIZATION_FAILURE',
        status: 409,
        details: { retryable: true },
      });
    },
  );

  it.skipIf(embedded)(
    'maps a deadlock to a retryable conflict (needs concurrent sessions)',
    async () => {
      await db.query(sql`CREATE TABLE IF NOT EXISTS dl (k int PRIMARY KEY)`);
      await db.query(sql`INSERT INTO dl VALUES (1), (2) ON CONFLICT DO NOTHING`);
      let release!: () => void;
      const bothLocked = new Promise<void>((r) => {
        release = r;
      });
      let locks = 0;
      const tx = (first: number, second: number) =>
        db.transaction(
          async () => {
            // The file's 300 ms statement_timeout would otherwise fire before the 1 s deadlock check.
            await db.query(sql`SET LOCAL statement_timeout = '10s'`);
            await db.query(sql`SET LOCAL deadlock_timeout = '50ms'`);
            await db.query(sql`SELECT * FROM dl WHERE k = ${first} FOR UPDATE`);
            if (++locks === 2) release();
            await bothLocked;
            await db.query(sql`SELECT * FROM dl WHERE k = ${second} FOR UPDATE`);
          },
          { retries: 0 },
        );
      const results = await Promise.allSettled([tx(1, 2), tx(2, 1)]);
      const rejected = results.filter((r) => r.status === 'rejected') as PromiseRejectedResult[];
      expect(rejected).toHaveLength(1);
      expect(rejected[0]!.reason).toMatchObject({
        code: 'DEADLOCK_DETECTED',
        context: { sqlState: '40P01' },
      });
    },
  );

  it.skipIf(embedded)(
    'maps a backend terminated mid-transaction to ServiceUnavailableError, logs it, and recovers (needs pg_terminate_backend)',
    async () => {
      const admin = new pg.Client({ connectionString: t.connectionString });
      await admin.connect();
      try {
        const err = await failure(() =>
          db.transaction(async () => {
            const { rows } = await db.query(sql`SELECT pg_backend_pid() AS pid`);
            await admin.query('SELECT pg_terminate_backend($1)', [rows[0]!.pid]);
            await db.query(sql`SELECT 1`);
          }),
        );
        expect(err).toMatchObject({ code: 'DB_UNAVAILABLE', status: 503 });
        expect((await db.one(sql`SELECT 1 AS ok`)).ok).toBe(1);
      } finally {
        await admin.end();
      }
    },
  );

  it.skipIf(embedded)(
    'logs an idle pooled connection killed by the server and serves the next query on a fresh one (needs pg_terminate_backend)',
    async () => {
      const { rows } = await db.query(sql`SELECT pg_backend_pid() AS pid`);
      // Our handler is registered first, so by the time this listener runs the line is logged.
      const logged = new Promise<void>((resolve) =>
        (db.pool as unknown as pg.Pool).once('error', () => resolve()),
      );
      const admin = new pg.Client({ connectionString: t.connectionString });
      await admin.connect();
      await admin.query('SELECT pg_terminate_backend($1)', [rows[0]!.pid]);
      await admin.end();
      await logged;
      const line = t.lines.find((l) => /idle/.test(l.msg ?? ''))!;
      expect(line.obj).toMatchObject({ err: { sqlState: '57P01' } });
      const next = await db.one(sql`SELECT pg_backend_pid() AS pid`);
      expect(next.pid).not.toBe(rows[0]!.pid);
    },
  );
});
