import { randomBytes } from 'node:crypto';
import { createRequestContext, runWithContext } from '@plinth/context';
import {
  createDatabase,
  createRepository,
  type Database,
  sql,
  type TracerLike,
  verifyRowLevelSecurity,
} from '@plinth/db-repository';
import fc from 'fast-check';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { embedded, setupDb } from './helpers.js';

const Note = z.object({
  id: z.number().int(),
  tenantId: z.string(),
  body: z.string(),
  version: z.number().int(),
});
const TENANTS = ['tenant-a', 'tenant-b'] as const;

/** Counts statements sent to the server (one span per statement). */
let statements = 0;
const tracer: TracerLike = {
  startSpan() {
    statements++;
    return { setAttribute: () => undefined, setStatus: () => undefined, end: () => undefined };
  },
};
const as = <T>(tenantId: string, fn: () => Promise<T>) =>
  runWithContext(createRequestContext({ source: 'test', tenantId }), fn);

let t: Awaited<ReturnType<typeof setupDb>>;
const role = `plinth_app_${randomBytes(4).toString('hex')}`;
let appDb: Database | undefined;

beforeAll(async () => {
  t = await setupDb('tenancy', { tracer });
  await t.db.query(
    sql`CREATE TABLE notes (id serial PRIMARY KEY, tenant_id text NOT NULL, body text NOT NULL, version int NOT NULL DEFAULT 1)`,
  );
  if (!embedded) {
    // A non-owner LOGIN role (trust auth on the test server) so policies apply to it.
    const schema = sql.identifier(t.schema);
    const r = sql.identifier(role);
    await t.db.query(sql`CREATE ROLE ${r} LOGIN NOSUPERUSER NOBYPASSRLS`);
    await t.db.query(sql`GRANT USAGE ON SCHEMA ${schema} TO ${r}`);
    await t.db.query(
      sql`GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA ${schema} TO ${r}`,
    );
    await t.db.query(sql`GRANT USAGE ON ALL SEQUENCES IN SCHEMA ${schema} TO ${r}`);
    await t.db.query(sql`ALTER TABLE notes ENABLE ROW LEVEL SECURITY`);
    await t.db.query(sql`ALTER TABLE notes FORCE ROW LEVEL SECURITY`);
    await t.db.query(sql`CREATE POLICY tenant_isolation ON notes
      USING (tenant_id = current_setting('app.tenant_id', true))
      WITH CHECK (tenant_id = current_setting('app.tenant_id', true))`);
    const url = new URL(t.connectionString);
    url.username = role;
    appDb = createDatabase({ connectionString: url.toString(), searchPath: [t.schema], tracer });
  }
});
afterAll(async () => {
  await appDb?.close();
  if (!embedded) {
    await t.db.query(sql`DROP OWNED BY ${sql.identifier(role)}`);
    await t.db.query(sql`DROP ROLE ${sql.identifier(role)}`);
  }
  await t?.dispose();
});

type Op =
  | { kind: 'create'; tenant: number; body: string }
  | { kind: 'read' | 'update' | 'delete'; tenant: number; pick: number; body: string }
  | { kind: 'list' | 'count'; tenant: number };

const opArb: fc.Arbitrary<Op> = fc.oneof(
  fc.record({
    kind: fc.constant('create' as const),
    tenant: fc.integer({ min: 0, max: 1 }),
    body: fc.string({ maxLength: 20 }),
  }),
  fc.record({
    kind: fc.constantFrom('read' as const, 'update' as const, 'delete' as const),
    tenant: fc.integer({ min: 0, max: 1 }),
    pick: fc.nat(),
    body: fc.string({ maxLength: 20 }),
  }),
  fc.record({
    kind: fc.constantFrom('list' as const, 'count' as const),
    tenant: fc.integer({ min: 0, max: 1 }),
  }),
);

/** Runs interleaved operations of both tenants (pairs run concurrently) against a model of who owns what. */
async function checkIsolation(db: Database, rls: boolean) {
  const notes = createRepository(db, { table: 'notes', schema: Note, tenantScoped: true, rls });
  await fc.assert(
    fc.asyncProperty(
      fc.array(fc.tuple(opArb, opArb), { minLength: 1, maxLength: 12 }),
      async (steps) => {
        await t.db.query(sql`TRUNCATE notes RESTART IDENTITY`);
        const owner = new Map<number, { tenant: string; body: string; deleted: boolean }>();
        const apply = (op: Op) =>
          runWithContext(
            createRequestContext({ source: 'test', tenantId: TENANTS[op.tenant] }),
            async () => {
              const me = TENANTS[op.tenant]!;
              const ids = [...owner.keys()];
              if (op.kind === 'create') {
                const row = await notes.create({ body: op.body });
                expect(row.tenantId).toBe(me);
                owner.set(row.id, { tenant: me, body: op.body, deleted: false });
              } else if (op.kind === 'list' || op.kind === 'count') {
                const expected = [...owner.values()].filter(
                  (n) => n.tenant === me && !n.deleted,
                ).length;
                if (op.kind === 'count') expect(await notes.count()).toBe(expected);
                const { items } = await notes.findMany({ limit: 500 });
                for (const item of items) expect(item.tenantId).toBe(me);
                expect(items).toHaveLength(expected);
              } else if (ids.length > 0) {
                const id = ids[(op as { pick: number }).pick % ids.length]!;
                const state = owner.get(id)!;
                const mine = state.tenant === me && !state.deleted;
                if (op.kind === 'read') {
                  const row = await notes.findById(id);
                  if (mine) expect(row?.tenantId).toBe(me);
                  else expect(row).toBeNull();
                } else if (op.kind === 'update') {
                  if (mine) {
                    expect((await notes.update(id, { body: op.body })).tenantId).toBe(me);
                    state.body = op.body;
                  } else
                    await expect(notes.update(id, { body: op.body })).rejects.toMatchObject({
                      status: 404,
                    });
                } else {
                  expect(await notes.delete(id)).toBe(mine);
                  if (mine) state.deleted = true;
                }
              }
            },
          );
        for (const [a, b] of steps) {
          // Different tenants run concurrently; the same tenant's pair runs in order so the model stays exact.
          if (a.tenant === b.tenant) {
            await apply(a);
            await apply(b);
          } else {
            const settled = await Promise.allSettled([apply(a), apply(b)]);
            for (const r of settled) if (r.status === 'rejected') throw r.reason;
          }
        }
        // The other tenant's rows were never modified: the table matches the model exactly.
        const rows = await t.db.many<{ id: number; tenant_id: string; body: string }>(
          sql`SELECT id, tenant_id, body FROM notes ORDER BY id`,
        );
        const live = [...owner.entries()].filter(([, n]) => !n.deleted).sort(([a], [b]) => a - b);
        expect(rows.map((r) => [r.id, r.tenant_id, r.body])).toEqual(
          live.map(([id, n]) => [id, n.tenant, n.body]),
        );
      },
    ),
    { numRuns: 15 },
  );
}

describe('tenant isolation', () => {
  it('never returns or modifies another tenant’s rows under interleaved operations (plain mode)', async () => {
    await checkIsolation(t.db, false);
  });

  it.skipIf(embedded)(
    'never returns or modifies another tenant’s rows under interleaved operations (RLS mode, needs a non-owner role)',
    async () => {
      await checkIsolation(appDb!, true);
    },
  );

  it.skipIf(embedded)(
    'lets policies hide every row from a query that sets no tenant (RLS, needs a non-owner role)',
    async () => {
      await t.db.query(sql`INSERT INTO notes (tenant_id, body) VALUES ('tenant-a', 'x')`);
      expect(await appDb!.many(sql`SELECT * FROM notes`)).toEqual([]);
      await expect(
        appDb!.query(sql`INSERT INTO notes (tenant_id, body) VALUES ('tenant-a', 'y')`),
      ).rejects.toMatchObject({ code: 'ROW_LEVEL_SECURITY_VIOLATION', status: 403 });
      await t.db.query(sql`TRUNCATE notes`);
    },
  );

  it.skipIf(embedded)(
    're-sets app.tenant_id for the bound tenant after a rolled-back savepoint (RLS, needs a non-owner role)',
    async () => {
      const notes = createRepository(appDb!, {
        table: 'notes',
        schema: Note,
        tenantScoped: true,
        rls: true,
      });
      await as('tenant-a', () => notes.create({ body: 'a' }));
      await as('tenant-b', () => notes.create({ body: 'b' }));
      await appDb!.transaction(async () => {
        await expect(
          appDb!.transaction(async () => {
            expect((await as('tenant-a', () => notes.findMany())).items.map((n) => n.body)).toEqual(
              ['a'],
            );
            throw new Error('undo savepoint');
          }),
        ).rejects.toThrow('undo savepoint');
        // The rollback undid set_config: raw queries (no tenant filter) see nothing until it is set again.
        expect(await appDb!.many(sql`SELECT body FROM notes`)).toEqual([]);
        expect((await as('tenant-a', () => notes.findMany())).items.map((n) => n.body)).toEqual([
          'a',
        ]);
        expect(await appDb!.many(sql`SELECT body FROM notes`)).toEqual([{ body: 'a' }]);
        // The binding outlives the savepoint: the transaction still serves tenant-a only.
        await expect(as('tenant-b', () => notes.findMany())).rejects.toMatchObject({
          code: 'TENANT_MISMATCH',
        });
      });
      await t.db.query(sql`TRUNCATE notes`);
    },
  );

  it.skipIf(embedded)(
    'passes the startup check for the non-owner role (needs a non-owner role)',
    async () => {
      await expect(verifyRowLevelSecurity(appDb!, ['notes'])).resolves.toBeUndefined();
    },
  );

  it('fails the startup check for an owner/superuser role and refuses to run RLS repositories', async () => {
    await expect(verifyRowLevelSecurity(t.db, ['notes', 'missing_table'])).rejects.toMatchObject({
      code: 'RLS_MISCONFIGURED',
      context: {
        problems: expect.arrayContaining([
          'missing_table: table not found',
          'the runtime role is a superuser',
        ]),
      },
    });
    const notes = createRepository(t.db, {
      table: 'notes',
      schema: Note,
      tenantScoped: true,
      rls: true,
    });
    await expect(
      runWithContext(createRequestContext({ source: 'test', tenantId: 'tenant-a' }), () =>
        notes.count(),
      ),
    ).rejects.toMatchObject({ code: 'RLS_MISCONFIGURED' });
  });
});

/** Runs the transaction-binding checks against `db` in plain or RLS mode. */
function bindingSuite(mode: 'plain' | 'rls', getDb: () => Database) {
  beforeEach(async () => {
    await t.db.query(sql`TRUNCATE notes RESTART IDENTITY`);
  });
  const repo = () =>
    createRepository(getDb(), {
      table: 'notes',
      schema: Note,
      tenantScoped: true,
      rls: mode === 'rls',
    });

  it(`rejects a second tenant in the same transaction before any SQL runs (${mode}, sequential)`, async () => {
    const notes = repo();
    await getDb().transaction(async () => {
      await as('tenant-a', () => notes.count());
      const before = statements;
      await expect(as('tenant-b', () => notes.count())).rejects.toMatchObject({
        code: 'TENANT_MISMATCH',
        status: 500,
      });
      await expect(as('tenant-b', () => notes.create({ body: 'b' }))).rejects.toMatchObject({
        code: 'TENANT_MISMATCH',
      });
      expect(statements).toBe(before);
      // The refused calls ran nothing, so the transaction is intact for its own tenant.
      expect(await as('tenant-a', () => notes.count())).toBe(0);
    });
  });

  it(`rejects concurrent calls for different tenants in one transaction (${mode}, Promise.all)`, async () => {
    const notes = repo();
    const statementsBefore = statements;
    const settled = await getDb().transaction(() =>
      Promise.allSettled([
        as('tenant-a', () => notes.create({ body: 'a' })),
        as('tenant-b', () => notes.create({ body: 'b' })),
        as('tenant-b', () => notes.findMany()),
      ]),
    );
    expect(settled[0]).toMatchObject({ status: 'fulfilled', value: { tenantId: 'tenant-a' } });
    expect(settled[1]).toMatchObject({ status: 'rejected', reason: { code: 'TENANT_MISMATCH' } });
    expect(settled[2]).toMatchObject({ status: 'rejected', reason: { code: 'TENANT_MISMATCH' } });
    expect(statements).toBeGreaterThan(statementsBefore);
    expect(await t.db.many(sql`SELECT tenant_id, body FROM notes`)).toEqual([
      { tenant_id: 'tenant-a', body: 'a' },
    ]);
    await t.db.query(sql`TRUNCATE notes`);
  });

  it(`runs same-tenant calls in one transaction, concurrent, sequential and nested (${mode})`, async () => {
    const notes = repo();
    const rows = await getDb().transaction(() =>
      as('tenant-a', async () => {
        await Promise.all([notes.create({ body: '1' }), notes.create({ body: '2' })]);
        await getDb().transaction(() => notes.create({ body: '3' }));
        return (await notes.findMany({ orderBy: { id: 'asc' } })).items.map((n) => n.body);
      }),
    );
    expect(rows.sort()).toEqual(['1', '2', '3']);
    // A new transaction binds afresh.
    expect(await getDb().transaction(() => as('tenant-b', () => notes.count()))).toBe(0);
    await t.db.query(sql`TRUNCATE notes`);
  });
}

describe('one transaction, one tenant', () => {
  bindingSuite('plain', () => t.db);
  describe.skipIf(embedded)('RLS mode (needs a non-owner role on a DATABASE_URL server)', () => {
    bindingSuite('rls', () => appDb!);
  });
});
