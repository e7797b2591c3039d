import { createDatabase, type Database, sql, type TracerLike } from '@plinth/db-repository';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { embedded, setupDb } from './helpers.js';

interface RecordedSpan {
  name: string;
  attributes: Record<string, unknown>;
  status?: { code: number; message?: string };
  ended: boolean;
}
const spans: RecordedSpan[] = [];
const tracer: TracerLike = {
  startSpan(name, options) {
    const span: RecordedSpan = { name, attributes: { ...options?.attributes }, ended: false };
    spans.push(span);
    return {
      setAttribute: (k, v) => (span.attributes[k] = v),
      setStatus: (s) => (span.status = s),
      end: () => (span.ended = true),
    };
  },
};

let t: Awaited<ReturnType<typeof setupDb>>;
let db: Database;

beforeAll(async () => {
  t = await setupDb('database', {
    tracer,
    statementTimeoutMs: 4_321,
    idleInTransactionTimeoutMs: 9_876,
    applicationName: 'plinth-test',
    slowQueryMs: 50,
  });
  db = t.db;
  await db.query(sql`CREATE TABLE people (id int PRIMARY KEY, email text)`);
  await db.query(sql`INSERT INTO people VALUES (1, 'a@x.io'), (2, 'b@x.io')`);
});
afterAll(() => t?.dispose());

describe('createDatabase', () => {
  it('answers ping with a latency', async () => {
    expect((await db.ping()).latencyMs).toBeGreaterThanOrEqual(0);
  });

  it.skipIf(embedded)(
    'sets statement_timeout, idle_in_transaction_session_timeout, application_name and search_path per connection (embedded ignores start-up parameters)',
    async () => {
      const row = await db.one(
        sql`SELECT current_setting('statement_timeout') AS st, current_setting('idle_in_transaction_session_timeout') AS idle, current_setting('application_name') AS app, current_schema() AS schema`,
      );
      expect(row).toEqual({ st: '4321ms', idle: '9876ms', app: 'plinth-test', schema: t.schema });
    },
  );

  it('runs one / maybeOne / many with optional zod parsing', async () => {
    const Person = z.object({ id: z.number(), email: z.string() });
    expect(await db.one(sql`SELECT * FROM people WHERE id = ${1}`, Person)).toEqual({
      id: 1,
      email: 'a@x.io',
    });
    expect(await db.maybeOne(sql`SELECT * FROM people WHERE id = ${9}`, Person)).toBeNull();
    expect(await db.many(sql`SELECT * FROM people ORDER BY id`, Person)).toHaveLength(2);
    // A query bug must not reach a client as "not found": no row from one() is a 500.
    await expect(db.one(sql`SELECT * FROM people WHERE id = ${9}`)).rejects.toMatchObject({
      status: 500,
      code: 'DB_NO_ROW',
      expose: false,
    });
    await expect(db.one(sql`SELECT * FROM people`)).rejects.toMatchObject({
      code: 'UNEXPECTED_ROW_COUNT',
    });
    await expect(db.maybeOne(sql`SELECT * FROM people`)).rejects.toMatchObject({
      code: 'UNEXPECTED_ROW_COUNT',
    });
  });

  it('reports a row that does not match its schema without the value', async () => {
    const err = await db
      .one(
        sql`SELECT id, email FROM people WHERE id = 1`,
        z.object({ id: z.string(), email: z.number() }),
      )
      .catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'ROW_VALIDATION_FAILED', status: 500 });
    expect(JSON.stringify(err)).not.toContain('a@x.io');
  });

  it('accepts only sql-built queries', async () => {
    await expect(db.query('SELECT 1' as never)).rejects.toMatchObject({ code: 'SQL_NOT_FRAGMENT' });
    await expect(db.query({ text: 'SELECT 1', values: [] } as never)).rejects.toMatchObject({
      code: 'SQL_NOT_FRAGMENT',
    });
  });

  it('refuses stacked statements smuggled through sql.unsafe (extended protocol only)', async () => {
    await expect(db.query(sql`SELECT 1; ${sql.unsafe('DROP TABLE people')}`)).rejects.toMatchObject(
      { status: 500 },
    );
    expect(await db.one(sql`SELECT count(*)::int AS n FROM people`)).toEqual({ n: 2 });
  });

  it('emits a client span per query with DB semantic conventions and no values', async () => {
    spans.length = 0;
    await db.query(sql`SELECT email FROM people WHERE email = ${'secret@x.io'}`);
    const span = spans.at(-1)!;
    expect(span).toMatchObject({ name: 'SELECT', ended: true });
    expect(span.attributes).toMatchObject({
      'db.system.name': 'postgresql',
      'db.operation.name': 'SELECT',
      'db.query.text': 'SELECT email FROM people WHERE email = $1',
    });
    expect(JSON.stringify(spans)).not.toContain('secret@x.io');
  });

  it('marks a failed query span as an error with the SQLSTATE', async () => {
    spans.length = 0;
    await db.query(sql`INSERT INTO people VALUES (1, ${'dup@x.io'})`).catch(() => undefined);
    expect(spans.at(-1)).toMatchObject({
      status: { code: 2 },
      attributes: { 'error.type': '23505', 'db.response.status_code': '23505' },
    });
  });

  it('logs slow queries with text and duration but never values', async () => {
    t.lines.length = 0;
    // pg_sleep is a real wait on the server: the only way to make a query slow.
    await db.query(sql`SELECT pg_sleep(0.08), ${'secret-param'}::text AS p`);
    const line = t.lines.find((l) => l.msg === 'slow query');
    expect(line?.obj).toMatchObject({
      query: 'SELECT pg_sleep(0.08), $1::text AS p',
      operation: 'SELECT',
    });
    expect(line?.obj.durationMs).toBeGreaterThanOrEqual(50);
    expect(JSON.stringify(t.lines)).not.toContain('secret-param');
  });

  it('rejects invalid options as a 500 INVALID_OPTIONS listing each, without echoing the connection string', () => {
    const invalid = (issues: string[]) =>
      expect.objectContaining({
        code: 'INVALID_OPTIONS',
        status: 500,
        issues: issues.map((path) => expect.objectContaining({ path })),
      });
    expect(() => createDatabase({ connectionString: '' })).toThrow(invalid(['connectionString']));
    expect(() =>
      createDatabase({
        connectionString: 'postgres://u:pw@h/db',
        pool: { max: 0, idleTimeoutMs: 1.5 },
        slowQueryMs: -1,
      }),
    ).toThrow(invalid(['pool.max', 'pool.idleTimeoutMs', 'slowQueryMs']));
    expect(() =>
      createDatabase({ connectionString: 'postgres://u:pw@h/db', searchPath: ['a;b'] }),
    ).toThrow(invalid(['searchPath']));
    expect(() =>
      createDatabase({ connectionString: 'postgres://u:pw@h/db', cursorKey: 'short' }),
    ).toThrow(invalid(['cursorKey']));
    try {
      createDatabase({ connectionString: 'postgres://u:pw@h/db', pool: { max: -1 } });
    } catch (err) {
      expect(JSON.stringify(err)).not.toContain('pw@h');
    }
  });

  it('maps an unreachable server to ServiceUnavailableError', async () => {
    const down = createDatabase({
      connectionString: 'postgres://u:hunter2@127.0.0.1:1/db',
      pool: { connectionTimeoutMs: 2_000 },
    });
    const err = await down.ping().catch((e: unknown) => e);
    expect(err).toMatchObject({ status: 503, code: 'DB_UNAVAILABLE' });
    expect(JSON.stringify(err)).not.toContain('hunter2');
    await down.close();
  });

  it('waits for checked-out clients on close, then refuses new work', async () => {
    const other = createDatabase({ connectionString: t.connectionString, pool: { max: 1 } });
    let finish!: () => void;
    const gate = new Promise<void>((resolve) => {
      finish = resolve;
    });
    let inside!: () => void;
    const started = new Promise<void>((resolve) => {
      inside = resolve;
    });
    const work = other.transaction(async () => {
      await other.query(sql`SELECT 1`);
      inside();
      await gate;
      await other.query(sql`SELECT 2`);
      return 'committed';
    });
    await started;
    const closing = other.close({ timeoutMs: 10_000 });
    await expect(other.query(sql`SELECT 3`)).rejects.toMatchObject({
      code: 'DB_CLOSED',
      status: 503,
    });
    finish();
    expect(await work).toBe('committed');
    expect(await closing).toEqual({ forced: 0 });
  });

  it('terminates clients still checked out at the close deadline', async () => {
    const other = createDatabase({ connectionString: t.connectionString, pool: { max: 1 } });
    let inside!: () => void;
    const started = new Promise<void>((resolve) => {
      inside = resolve;
    });
    const never = new Promise<void>(() => undefined);
    const work = other
      .transaction(async () => {
        await other.query(sql`SELECT 1`);
        inside();
        await Promise.race([never, new Promise((r) => setTimeout(r, 200))]);
        await other.query(sql`SELECT 2`);
      })
      .catch((e: unknown) => e);
    await started;
    expect(await other.close({ timeoutMs: 50 })).toEqual({ forced: 1 });
    expect(await work).toMatchObject({ status: 503 });
  });
});
