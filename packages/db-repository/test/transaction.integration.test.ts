import { type Database, sql } from '@plinth/db-repository';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { embedded, setupDb } from './helpers.js';

let t: Awaited<ReturnType<typeof setupDb>>;
let db: Database;

beforeAll(async () => {
  t = await setupDb('tx', { pool: { max: embedded ? 1 : 10 } });
  db = t.db;
  await db.query(sql`CREATE TABLE items (id int PRIMARY KEY, label text NOT NULL)`);
});
beforeEach(async () => {
  await db.query(sql`DELETE FROM items`);
});
afterAll(() => t?.dispose());

const count = async () => Number((await db.one(sql`SELECT count(*) AS n FROM items`)).n);

describe('db.transaction', () => {
  it('commits the work of fn and returns its result', async () => {
    const result = await db.transaction(async () => {
      await db.query(sql`INSERT INTO items VALUES (1, 'a')`);
      return 'done';
    });
    expect(result).toBe('done');
    expect(await count()).toBe(1);
  });

  it('rolls back everything when fn throws, and rethrows the same error', async () => {
    const boom = new Error('boom');
    await expect(
      db.transaction(async () => {
        await db.query(sql`INSERT INTO items VALUES (1, 'a')`);
        throw boom;
      }),
    ).rejects.toBe(boom);
    expect(await count()).toBe(0);
  });

  it('joins queries made deeper in the call chain without passing a client', async () => {
    const insertDeep = async () => db.query(sql`INSERT INTO items VALUES (2, 'deep')`);
    await expect(
      db.transaction(async () => {
        await insertDeep();
        expect(db.inTransaction()).toBe(true);
        throw new Error('undo');
      }),
    ).rejects.toThrow('undo');
    expect(await count()).toBe(0);
    expect(db.inTransaction()).toBe(false);
  });

  it('turns a nested call into a savepoint whose rollback keeps the outer work', async () => {
    await db.transaction(async () => {
      await db.query(sql`INSERT INTO items VALUES (1, 'outer')`);
      await expect(
        db.transaction(async () => {
          await db.query(sql`INSERT INTO items VALUES (2, 'inner')`);
          throw new Error('inner fails');
        }),
      ).rejects.toThrow('inner fails');
      await db.query(sql`INSERT INTO items VALUES (3, 'after')`);
    });
    expect((await db.many(sql`SELECT id FROM items ORDER BY id`)).map((r) => r.id)).toEqual([1, 3]);
  });

  it('keeps a failed SQL statement inside a savepoint from aborting the outer transaction', async () => {
    await db.transaction(async () => {
      await db.query(sql`INSERT INTO items VALUES (1, 'outer')`);
      await expect(
        db.transaction(() => db.query(sql`INSERT INTO items VALUES (1, 'dup')`)),
      ).rejects.toMatchObject({ code: 'UNIQUE_VIOLATION' });
      await db.query(sql`INSERT INTO items VALUES (2, 'still fine')`);
    });
    expect(await count()).toBe(2);
  });

  it('refuses to commit when a failed statement was swallowed inside the transaction', async () => {
    await expect(
      db.transaction(async () => {
        await db.query(sql`INSERT INTO items VALUES (1, 'a')`);
        await db.query(sql`INSERT INTO items VALUES (1, 'dup')`).catch(() => undefined);
      }),
    ).rejects.toMatchObject({ code: 'TRANSACTION_ABORTED' });
    expect(await count()).toBe(0);
  });

  it('reports TRANSACTION_ABORTED for a savepoint whose failed statement was swallowed, keeping the outer work', async () => {
    await db.transaction(async () => {
      await db.query(sql`INSERT INTO items VALUES (1, 'outer')`);
      await expect(
        db.transaction(async () => {
          await db.query(sql`INSERT INTO items VALUES (1, 'dup')`).catch(() => undefined);
        }),
      ).rejects.toMatchObject({ code: 'TRANSACTION_ABORTED' });
      await db.query(sql`INSERT INTO items VALUES (2, 'after')`);
    });
    expect(await count()).toBe(2);
  });

  it('retries a retryable failure at the outermost level only, re-running the whole fn', async () => {
    let outer = 0;
    let inner = 0;
    const serializationFailure = Object.assign(new Error('could not serialize access'), {
      code: '40001',
    });
    const result = await db.transaction(
      async () => {
        outer++;
        await db.transaction(async () => {
          inner++;
          if (outer < 3) throw serializationFailure;
        });
        return outer;
      },
      { retries: 2 },
    );
    expect(result).toBe(3);
    expect({ outer, inner }).toEqual({ outer: 3, inner: 3 });
  });

  it('gives up after the configured retries and surfaces the error', async () => {
    let attempts = 0;
    await expect(
      db.transaction(
        async () => {
          attempts++;
          throw Object.assign(new Error('deadlock detected'), { code: '40P01' });
        },
        { retries: 1 },
      ),
    ).rejects.toMatchObject({ code: '40P01' });
    expect(attempts).toBe(2);
  });

  it('does not retry errors that are not serialization failures or deadlocks', async () => {
    let attempts = 0;
    await expect(
      db.transaction(async () => {
        attempts++;
        await db.query(sql`SELECT 1/0`);
      }),
    ).rejects.toMatchObject({ code: 'DATABASE_ERROR' });
    expect(attempts).toBe(1);
  });

  it('rejects a query issued after its transaction finished', async () => {
    let go!: () => void;
    const gate = new Promise<void>((resolve) => {
      go = resolve;
    });
    let leaked!: Promise<unknown>;
    await db.transaction(async () => {
      // Started inside the transaction (so it carries its async context) but not awaited.
      leaked = gate.then(() => db.query(sql`SELECT 1`));
    });
    go();
    await expect(leaked).rejects.toMatchObject({ code: 'TRANSACTION_CLOSED' });
  });

  it('rejects two nested transactions running concurrently at the same level', async () => {
    await expect(
      db.transaction(async () => {
        await Promise.all([
          db.transaction(async () => db.query(sql`SELECT 1`)),
          db.transaction(async () => db.query(sql`SELECT 2`)),
        ]);
      }),
    ).rejects.toMatchObject({ code: 'CONCURRENT_NESTED_TRANSACTION' });
  });

  it('rejects invalid options before touching the database', async () => {
    await expect(
      db.transaction(async () => 1, { isolation: 'chaos' as never }),
    ).rejects.toMatchObject({ code: 'INVALID_OPTIONS', status: 500 });
    await expect(db.transaction(async () => 1, { retries: -1 })).rejects.toMatchObject({
      code: 'INVALID_OPTIONS',
      issues: [expect.objectContaining({ path: 'retries' })],
    });
  });

  it('runs read-only transactions that reject writes', async () => {
    await expect(
      db.transaction(() => db.query(sql`INSERT INTO items VALUES (9, 'x')`), { readOnly: true }),
    ).rejects.toMatchObject({
      context: { sqlState: '25006' },
    });
  });

  it('gives 50 concurrent transactions their own client and never leaks ambient state', async () => {
    const results = await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        db.transaction(async () => {
          const { pid } = await db.one(sql`SELECT pg_backend_pid() AS pid`);
          await db.query(sql`INSERT INTO items VALUES (${i}, ${`tx-${i}`})`);
          await new Promise((resolve) => setImmediate(resolve));
          const mine = await db.many(sql`SELECT id FROM items WHERE id = ${i}`);
          const { pid: pidAfter } = await db.one(sql`SELECT pg_backend_pid() AS pid`);
          return {
            i,
            pid,
            pidAfter,
            seen: mine.length,
            txid: (await db.one(sql`SELECT txid_current() AS x`)).x,
          };
        }),
      ),
    );
    expect(await count()).toBe(50);
    expect(new Set(results.map((r) => String(r.txid))).size).toBe(50);
    for (const r of results) {
      expect(r.pid).toBe(r.pidAfter);
      expect(r.seen).toBe(1);
    }
    expect(db.inTransaction()).toBe(false);
  });
});
