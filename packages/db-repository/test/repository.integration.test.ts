import { createRequestContext, runWithContext } from '@plinth/context';
import { createRepository, type Database, escapeLike, sql } from '@plinth/db-repository';
import { afterAll, beforeAll, beforeEach, describe, expect, expectTypeOf, it } from 'vitest';
import { z } from 'zod';
import { setupDb } from './helpers.js';

const Client = z.object({
  id: z.number().int(),
  tenantId: z.string(),
  email: z.string(),
  displayName: z.string().nullable(),
  score: z.number().int(),
  version: z.number().int(),
  createdAt: z.date(),
  updatedAt: z.date(),
  deletedAt: z.date().nullable(),
});

let t: Awaited<ReturnType<typeof setupDb>>;
let db: Database;
let clients: ReturnType<typeof makeRepo>;
const makeRepo = (database: Database) =>
  createRepository(database, {
    table: 'clients',
    schema: Client,
    tenantScoped: true,
    softDelete: true,
  });
const asTenant = <T>(tenantId: string, fn: () => Promise<T>) =>
  runWithContext(createRequestContext({ source: 'test', tenantId }), fn);

beforeAll(async () => {
  t = await setupDb('repo');
  db = t.db;
  await db.query(sql`CREATE TABLE clients (
    id serial PRIMARY KEY, tenant_id text NOT NULL, email text NOT NULL, display_name text, score int NOT NULL DEFAULT 0,
    version int NOT NULL DEFAULT 1, created_at timestamptz NOT NULL, updated_at timestamptz NOT NULL, deleted_at timestamptz,
    UNIQUE (tenant_id, email))`);
  clients = makeRepo(db);
});
beforeEach(async () => {
  await db.query(sql`TRUNCATE clients RESTART IDENTITY`);
});
afterAll(() => t?.dispose());

describe('createRepository', () => {
  it('infers row types from the zod schema', () => {
    expectTypeOf(clients.findById).returns.resolves.toEqualTypeOf<z.output<typeof Client> | null>();
    expectTypeOf(clients.create).parameter(0).not.toHaveProperty('tenantId');
  });

  it('creates a row with tenant, version and timestamps maintained, mapping camelCase to snake_case', async () => {
    const row = await asTenant('t1', () =>
      clients.create({ email: 'a@x.io', displayName: 'A', score: 1 }),
    );
    expect(row).toMatchObject({
      id: 1,
      tenantId: 't1',
      email: 'a@x.io',
      displayName: 'A',
      version: 1,
      deletedAt: null,
    });
    expect(row.createdAt).toBeInstanceOf(Date);
    const raw = await db.one(sql`SELECT display_name, tenant_id FROM clients WHERE id = 1`);
    expect(raw).toEqual({ display_name: 'A', tenant_id: 't1' });
  });

  it('validates input with the schema before any SQL runs and rejects managed or unknown fields', async () => {
    await asTenant('t1', async () => {
      await expect(clients.create({ email: 5 } as never)).rejects.toMatchObject({
        code: 'VALIDATION_FAILED',
        errors: expect.arrayContaining([expect.objectContaining({ path: 'email' })]),
      });
      await expect(
        clients.create({ email: 'a', displayName: null, score: 1, tenantId: 't2' } as never),
      ).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
    });
    expect(await db.one(sql`SELECT count(*)::int AS n FROM clients`)).toEqual({ n: 0 });
  });

  it('finds by id, returning null for a missing row', async () => {
    await asTenant('t1', async () => {
      const created = await clients.create({ email: 'a@x.io', displayName: null, score: 1 });
      expect(await clients.findById(created.id)).toEqual(created);
      expect(await clients.findById(999)).toBeNull();
    });
  });

  it('filters with every operator', async () => {
    await asTenant('t1', async () => {
      await clients.createMany(
        [1, 2, 3, 4, 5].map((score) => ({
          email: `u${score}@x.io`,
          displayName: score % 2 ? null : `n${score}`,
          score,
        })),
      );
      const ids = async (where: Parameters<typeof clients.findMany>[0]) =>
        (await clients.findMany(where)).items.map((r) => r.score);
      expect(await ids({ where: { score: 3 } })).toEqual([3]);
      expect(await ids({ where: { score: { ne: 3 } } })).toEqual([1, 2, 4, 5]);
      expect(await ids({ where: { score: { in: [1, 5] } } })).toEqual([1, 5]);
      expect(await ids({ where: { score: { in: [] } } })).toEqual([]);
      expect(await ids({ where: { score: { gt: 2, lte: 4 } } })).toEqual([3, 4]);
      expect(await ids({ where: { score: { lt: 2 } } })).toEqual([1]);
      expect(await ids({ where: { score: { gte: 5 } } })).toEqual([5]);
      expect(await ids({ where: { email: { like: 'u2%' } } })).toEqual([2]);
      // `_` is a wildcard unless escaped: escapeLike makes user input literal.
      expect(await ids({ where: { email: { like: 'u_@x.io' } } })).toEqual([1, 2, 3, 4, 5]);
      expect(await ids({ where: { email: { like: escapeLike('u_@x.io') } } })).toEqual([]);
      expect(await ids({ where: { email: { like: `${escapeLike('u3@x.')}%` } } })).toEqual([3]);
      expect(await ids({ where: { displayName: null } })).toEqual([1, 3, 5]);
      expect(await ids({ where: { displayName: { isNull: false } } })).toEqual([2, 4]);
      expect(await ids({ where: { displayName: { ne: 'n2' } } })).toEqual([1, 3, 4, 5]);
      expect(await clients.count({ score: { gt: 1 } })).toBe(4);
      expect(await clients.exists({ email: 'u9@x.io' })).toBe(false);
      expect(await clients.exists({ email: 'u1@x.io' })).toBe(true);
      expect(
        await clients.findOne({ score: { gt: 1 } }, { orderBy: { score: 'desc' } }),
      ).toMatchObject({ score: 5 });
    });
  });

  it('rejects unknown where keys, unknown operators, undefined values and unknown orderBy keys before any SQL', async () => {
    await asTenant('t1', async () => {
      const bad: unknown[] = [
        { where: { 'email; DROP TABLE clients --': 'x' } },
        { where: { tenant_id: 't2' } },
        { where: { email: { regex: '.*' } } },
        { where: { email: undefined } },
        { where: { ['__proto__']: 'x' } },
        { orderBy: { 'score DESC; DROP TABLE clients': 'asc' } },
        { orderBy: { score: 'desc; DROP TABLE clients' } },
        { limit: 0 },
        { limit: 10_000 },
      ];
      for (const options of bad) {
        await expect(clients.findMany(options as never)).rejects.toMatchObject({
          status: 400,
          code: 'VALIDATION_FAILED',
        });
      }
      await expect(clients.findOne({ email: undefined })).rejects.toMatchObject({ status: 400 });
    });
    expect(await db.one(sql`SELECT to_regclass('clients') IS NOT NULL AS ok`)).toEqual({
      ok: true,
    });
  });

  it('treats injection attempts in values as inert data', async () => {
    const evil = "x'); DROP TABLE clients; --";
    await asTenant('t1', async () => {
      const row = await clients.create({ email: evil, displayName: "Robert'); --", score: 0 });
      expect(await clients.findOne({ email: evil })).toEqual(row);
      expect(await clients.findMany({ where: { email: { like: "%'; --" } } })).toMatchObject({
        items: [],
      });
    });
    expect(await db.one(sql`SELECT count(*)::int AS n FROM clients`)).toEqual({ n: 1 });
  });

  it('updates partially, bumps version and updatedAt, and detects stale versions', async () => {
    await asTenant('t1', async () => {
      const created = await clients.create({ email: 'a@x.io', displayName: 'A', score: 1 });
      const updated = await clients.update(created.id, { score: 7 }, { expectedVersion: 1 });
      expect(updated).toMatchObject({ score: 7, displayName: 'A', version: 2 });
      expect(updated.updatedAt.getTime()).toBeGreaterThanOrEqual(created.updatedAt.getTime());
      await expect(
        clients.update(created.id, { score: 8 }, { expectedVersion: 1 }),
      ).rejects.toMatchObject({ code: 'VERSION_CONFLICT', status: 409 });
      await expect(clients.update(999, { score: 8 }, { expectedVersion: 1 })).rejects.toMatchObject(
        { status: 404 },
      );
      await expect(clients.update(created.id, {})).rejects.toMatchObject({ status: 400 });
      await expect(clients.update(created.id, { version: 9 } as never)).rejects.toMatchObject({
        status: 400,
      });
      await expect(
        clients.update(created.id, { score: 1 }, { expectedVersion: -1 }),
      ).rejects.toMatchObject({ status: 400 });
    });
  });

  it('soft-deletes: the row disappears from reads but stays in the table', async () => {
    await asTenant('t1', async () => {
      const created = await clients.create({ email: 'a@x.io', displayName: null, score: 1 });
      expect(await clients.delete(created.id)).toBe(true);
      expect(await clients.delete(created.id)).toBe(false);
      expect(await clients.findById(created.id)).toBeNull();
      expect(await clients.count()).toBe(0);
    });
    expect(await db.one(sql`SELECT deleted_at IS NOT NULL AS gone FROM clients`)).toEqual({
      gone: true,
    });
  });

  it('hard-deletes when soft delete is off', async () => {
    const hard = createRepository(db, {
      table: 'clients',
      schema: Client.omit({ deletedAt: true }),
      tenantScoped: true,
    });
    await asTenant('t1', async () => {
      const created = await hard.create({ email: 'a@x.io', displayName: null, score: 1 });
      await expect(hard.delete(created.id, { expectedVersion: 5 })).rejects.toMatchObject({
        code: 'VERSION_CONFLICT',
      });
      expect(await hard.delete(created.id, { expectedVersion: 1 })).toBe(true);
    });
    expect(await db.one(sql`SELECT count(*)::int AS n FROM clients`)).toEqual({ n: 0 });
  });

  it('maps a duplicate to ConflictError UNIQUE_VIOLATION', async () => {
    await asTenant('t1', async () => {
      await clients.create({ email: 'a@x.io', displayName: null, score: 1 });
      await expect(
        clients.create({ email: 'a@x.io', displayName: null, score: 2 }),
      ).rejects.toMatchObject({ code: 'UNIQUE_VIOLATION', status: 409 });
    });
  });

  it('creates many rows in chunks under the parameter limit, in input order, all or nothing', async () => {
    const inputs = Array.from({ length: 17_000 }, (_, i) => ({
      email: `bulk${i}@x.io`,
      displayName: `n${i}`,
      score: i,
    }));
    const rows = await asTenant('t1', () => clients.createMany(inputs));
    expect(rows).toHaveLength(17_000);
    expect(rows[16_999]!.score).toBe(16_999);
    expect(rows.map((r) => r.score)).toEqual(inputs.map((i) => i.score));
    await expect(
      asTenant('t1', () =>
        clients.createMany([
          ...inputs.slice(0, 1).map((i) => ({ ...i, email: 'fresh@x.io' })),
          ...Array.from({ length: 17_000 }, (_, i) => ({
            email: i === 16_999 ? 'bulk0@x.io' : `more${i}@x.io`,
            displayName: null,
            score: 0,
          })),
        ]),
      ),
    ).rejects.toMatchObject({ code: 'UNIQUE_VIOLATION' });
    expect(await asTenant('t1', () => clients.count())).toBe(17_000);
  });

  it('paginates with keyset cursors, complete and duplicate-free, in any sort order', async () => {
    await asTenant('t1', () =>
      clients.createMany(
        Array.from({ length: 23 }, (_, i) => ({
          email: `p${i}@x.io`,
          displayName: i % 3 === 0 ? null : `n${i % 4}`,
          score: i % 5,
        })),
      ),
    );
    for (const orderBy of [
      undefined,
      { score: 'desc' as const },
      [{ displayName: 'asc' as const }, { score: 'desc' as const }],
      { createdAt: 'desc' as const },
    ]) {
      const seen: number[] = [];
      let cursor: string | null = null;
      do {
        const page: Awaited<ReturnType<typeof clients.findMany>> = await asTenant('t1', () =>
          clients.findMany({ orderBy, limit: 4, cursor }),
        );
        seen.push(...page.items.map((r) => r.id));
        cursor = page.nextCursor;
      } while (cursor);
      expect(seen).toHaveLength(23);
      expect(new Set(seen).size).toBe(23);
    }
  });

  it('stays complete and duplicate-free while rows are inserted concurrently', async () => {
    await asTenant('t1', () =>
      clients.createMany(
        Array.from({ length: 30 }, (_, i) => ({
          email: `c${i}@x.io`,
          displayName: null,
          score: i,
        })),
      ),
    );
    const original = new Set(
      (await asTenant('t1', () => clients.findMany({ limit: 500 }))).items.map((r) => r.id),
    );
    const seen: number[] = [];
    let cursor: string | null = null;
    let n = 0;
    do {
      const page: Awaited<ReturnType<typeof clients.findMany>> = await asTenant('t1', () =>
        clients.findMany({ limit: 7, cursor }),
      );
      seen.push(...page.items.map((r) => r.id));
      cursor = page.nextCursor;
      await asTenant('t1', () =>
        Promise.all([
          clients.create({ email: `new${n++}@x.io`, displayName: null, score: -1 }),
          clients.create({ email: `new${n++}@x.io`, displayName: null, score: 99 }),
        ]),
      );
    } while (cursor);
    expect(new Set(seen).size).toBe(seen.length);
    for (const id of original) expect(seen).toContain(id);
  });

  it('rejects tampered, foreign or garbage cursors as ValidationError, never a SQL error', async () => {
    await asTenant('t1', () =>
      clients.createMany(
        Array.from({ length: 3 }, (_, i) => ({ email: `k${i}@x.io`, displayName: null, score: i })),
      ),
    );
    const { nextCursor } = await asTenant('t1', () => clients.findMany({ limit: 1 }));
    const bytes = Buffer.from(nextCursor!, 'base64url');
    const flipped = (at: number) => {
      const copy = Buffer.from(bytes);
      copy[at] = copy[at]! ^ 1;
      return copy.toString('base64url');
    };
    const forged = Buffer.from(JSON.stringify({ t: 'clients', o: 'id:asc', k: ["1') OR 1=1 --"] }));
    const bad = [
      ...Array.from({ length: bytes.length }, (_, i) => flipped(i)),
      bytes.subarray(0, bytes.length - 1).toString('base64url'),
      `${forged.toString('base64url')}.${nextCursor}`,
      'not-a-cursor',
      '',
      'a.b.c',
      'x'.repeat(5000),
    ];
    for (const cursor of bad) {
      await expect(
        asTenant('t1', () => clients.findMany({ limit: 1, cursor })),
      ).rejects.toMatchObject({ code: 'INVALID_CURSOR', status: 400 });
    }
    await expect(
      asTenant('t1', () =>
        clients.findMany({ limit: 1, cursor: nextCursor, orderBy: { score: 'desc' } }),
      ),
    ).rejects.toMatchObject({ code: 'INVALID_CURSOR' });
    const other = createRepository(db, { table: 'clients', schema: Client, tenantScoped: true });
    expect(
      (await asTenant('t1', () => other.findMany({ limit: 1, cursor: nextCursor }))).items,
    ).toHaveLength(1);
  });

  it('refuses a cursor minted for one tenant when another tenant presents it, as a 400', async () => {
    for (const tenant of ['t1', 't2'])
      await asTenant(tenant, () =>
        clients.createMany(
          [0, 1].map((i) => ({ email: `${i}@x.io`, displayName: null, score: i })),
        ),
      );
    const { nextCursor } = await asTenant('t1', () => clients.findMany({ limit: 1 }));
    await expect(
      asTenant('t2', () => clients.findMany({ limit: 1, cursor: nextCursor })),
    ).rejects.toMatchObject({ code: 'INVALID_CURSOR', status: 400 });
    expect(
      (await asTenant('t1', () => clients.findMany({ limit: 1, cursor: nextCursor }))).items,
    ).toHaveLength(1);
  });

  it('refuses non-canonical spellings of a valid cursor (padding, spare bits, other alphabets)', async () => {
    await asTenant('t1', () =>
      clients.createMany([0, 1].map((i) => ({ email: `${i}@x.io`, displayName: null, score: i }))),
    );
    const { nextCursor } = await asTenant('t1', () => clients.findMany({ limit: 1 }));
    const c = nextCursor!;
    const base64 = Buffer.from(c, 'base64url').toString('base64');
    const spellings = [
      `${c}=`,
      `${c}==`,
      base64,
      ` ${c}`,
      `${c}\n`,
      `${c.slice(0, 10)}!${c.slice(10)}`,
    ];
    // When the length leaves spare bits in the last character, setting one decodes to the same bytes.
    const last = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    if (c.length % 4 !== 0) spellings.push(c.slice(0, -1) + last[last.indexOf(c.at(-1)!) + 1]);
    for (const cursor of spellings.filter((s) => s !== c)) {
      await expect(
        asTenant('t1', () => clients.findMany({ limit: 1, cursor })),
      ).rejects.toMatchObject({ code: 'INVALID_CURSOR', status: 400 });
    }
  });

  it('keeps sort values out of the cursor: an email sort key is not readable from it', async () => {
    await asTenant('t1', () =>
      clients.createMany(
        ['alice@example.com', 'bob@example.com'].map((email) => ({
          email,
          displayName: null,
          score: 1,
        })),
      ),
    );
    const { nextCursor } = await asTenant('t1', () =>
      clients.findMany({ limit: 1, orderBy: { email: 'asc' } }),
    );
    const decoded = Buffer.from(nextCursor!, 'base64url').toString('latin1');
    expect(decoded).not.toContain('alice');
    expect(decoded).not.toContain('clients');
  });

  it('quotes a property name containing a double quote correctly in every statement', async () => {
    await db.query(sql`CREATE TABLE odd (id int PRIMARY KEY, weird text NOT NULL)`);
    const odd = createRepository(db, {
      table: 'odd',
      schema: z.object({ id: z.number(), 'we"ird': z.string() }),
      columns: { 'we"ird': 'weird' },
    });
    const created = await odd.create({ id: 1, 'we"ird': 'x" FROM odd; --' });
    expect(created).toEqual({ id: 1, 'we"ird': 'x" FROM odd; --' });
    expect(await odd.findById(1)).toEqual(created);
    expect((await odd.findMany({ orderBy: { 'we"ird': 'desc' } })).items).toEqual([created]);
  });

  it('fails closed with TENANT_REQUIRED when no tenant is in context', async () => {
    await expect(clients.findById(1)).rejects.toMatchObject({
      code: 'TENANT_REQUIRED',
      status: 500,
    });
    await expect(clients.findMany()).rejects.toMatchObject({ code: 'TENANT_REQUIRED' });
    await expect(
      runWithContext(createRequestContext({ source: 'test' }), () => clients.count()),
    ).rejects.toMatchObject({ code: 'TENANT_REQUIRED' });
  });

  it('joins an ambient transaction so repository writes roll back with it', async () => {
    await expect(
      asTenant('t1', () =>
        db.transaction(async () => {
          await clients.create({ email: 'tx@x.io', displayName: null, score: 1 });
          throw new Error('abort');
        }),
      ),
    ).rejects.toThrow('abort');
    expect(await asTenant('t1', () => clients.count())).toBe(0);
  });

  it('rejects misconfigured repositories at creation as a 500 INVALID_OPTIONS naming each problem', () => {
    const invalid = (...paths: string[]) =>
      expect.objectContaining({
        code: 'INVALID_OPTIONS',
        status: 500,
        issues: paths.map((path) => expect.objectContaining({ path })),
      });
    expect(() => createRepository(db, { table: 'clients; drop', schema: Client })).toThrow(
      invalid('table'),
    );
    expect(() =>
      createRepository(db, { table: 'clients', schema: Client, primaryKey: 'nope' as never }),
    ).toThrow(invalid('primaryKey'));
    expect(() =>
      createRepository(db, {
        table: 'x',
        schema: z.object({ id: z.number() }),
        tenantScoped: true,
        rls: true,
        softDelete: true,
        maxLimit: 0,
      }),
    ).toThrow(invalid('tenantKey', 'softDelete', 'maxLimit'));
    expect(() =>
      createRepository(db, { table: 'x', schema: z.object({ id: z.number() }), rls: true }),
    ).toThrow(invalid('rls'));
    expect(() =>
      createRepository(db, {
        table: 'x',
        schema: Client,
        columns: { email: 'e"mail' },
      }),
    ).toThrow(invalid('columns.email'));
    expect(() => createRepository({} as Database, { table: 'x', schema: Client })).toThrow(
      invalid('db'),
    );
  });
});
