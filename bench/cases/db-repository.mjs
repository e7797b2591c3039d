// Repository overhead against raw pg on the same pool and server.
// Needs PostgreSQL: DATABASE_URL or the local default below.
import { randomBytes } from 'node:crypto';
import { createDatabase, createRepository, sql } from '@plinth/db-repository';
import { z } from 'zod';

const URL_ = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

const Row = z.object({
  id: z.number().int(),
  email: z.string(),
  displayName: z.string().nullable(),
  score: z.number().int(),
  version: z.number().int(),
  createdAt: z.date(),
  updatedAt: z.date(),
});

async function setupSchema() {
  const schema = `bench_dbrepo_${randomBytes(4).toString('hex')}`;
  const admin = createDatabase({ connectionString: URL_, pool: { max: 1 } });
  await admin.query(sql`CREATE SCHEMA ${sql.identifier(schema)}`);
  await admin.close();
  const db = createDatabase({
    connectionString: URL_,
    searchPath: [schema],
    pool: { max: 4 },
    slowQueryMs: 0,
  });
  await db.query(sql`CREATE TABLE items (id serial PRIMARY KEY, email text NOT NULL, display_name text, score int NOT NULL,
    version int NOT NULL DEFAULT 1, created_at timestamptz NOT NULL DEFAULT now(), updated_at timestamptz NOT NULL DEFAULT now())`);
  const repo = createRepository(db, { table: 'items', schema: Row });
  const teardown = async () => {
    await db.query(sql`DROP SCHEMA ${sql.identifier(schema)} CASCADE`);
    await db.close();
  };
  return { db, repo, pool: db.pool, teardown };
}

export default [
  {
    name: 'repository findById (zod-parsed row)',
    anchorName: 'raw pool.query, same pool, same row and text',
    metric: 'time',
    async: true,
    target: { max: 1.15 },
    async setup() {
      const { repo, pool, teardown } = await setupSchema();
      const row = await repo.create({ email: 'bench@example.com', displayName: 'Bench', score: 1 });
      const text =
        'SELECT "id" AS "id", "email" AS "email", "display_name" AS "displayName", "score" AS "score", "version" AS "version", "created_at" AS "createdAt", "updated_at" AS "updatedAt" FROM "items" WHERE "id" = $1 LIMIT 1';
      let seen = 0;
      return {
        anchor: async () => {
          const r = await pool.query(text, [row.id]);
          seen += r.rows.length;
        },
        subject: async () => {
          if (await repo.findById(row.id)) seen += 1;
        },
        check: () => (seen > 0 ? undefined : 'no rows read'),
        teardown,
      };
    },
  },
  {
    name: 'repository createMany 1,000 rows',
    anchorName: 'raw multi-row INSERT … RETURNING *',
    metric: 'time',
    async: true,
    // No design target in DESIGN §7: 1.3× is a guard rail, not a promise.
    target: { max: 1.3 },
    async setup() {
      const { repo, pool, teardown } = await setupSchema();
      const inputs = Array.from({ length: 1000 }, (_, i) => ({
        email: `u${i}@example.com`,
        displayName: `User ${i}`,
        score: i,
      }));
      const placeholders = inputs
        .map((_, i) => `($${i * 3 + 1}, $${i * 3 + 2}, $${i * 3 + 3}, now(), now(), 1)`)
        .join(', ');
      const text = `INSERT INTO "items" ("email", "display_name", "score", "created_at", "updated_at", "version") VALUES ${placeholders} RETURNING *`;
      const values = inputs.flatMap((r) => [r.email, r.displayName, r.score]);
      let rows = 0;
      return {
        anchor: async () => {
          rows += (await pool.query(text, values)).rows.length;
        },
        subject: async () => {
          rows += (await repo.createMany(inputs)).length;
        },
        check: () => (rows > 0 ? undefined : 'nothing inserted'),
        teardown,
      };
    },
  },
];
