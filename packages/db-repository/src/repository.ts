import { ConflictError, invalidOptions, NotFoundError, requireOptionsObject } from '@plinth/errors';
import type { z } from 'zod';
import { decodeCursor, encodeCursor } from './cursor.js';
import type { Database } from './database-types.js';
import { internalsOf } from './internal.js';
import {
  cursorSelect,
  keysetPredicate,
  orderClause,
  orderSignature,
  parseOrderBy,
} from './keyset.js';
import { checkVersion, parseInput, toRows, withoutUndefined } from './repository-io.js';
import { buildModel } from './repository-model.js';
import type { Repository, RepositoryOptions } from './repository-types.js';
import { verifyRowLevelSecurity } from './rls.js';
import { type SqlQuery, sql } from './sql.js';
import { requireTenant } from './tenant.js';
import { compileWhere, invalidInput } from './where.js';

const MAX_PARAMETERS = 65_535;

/**
 * A typed repository over one table: parameterised CRUD, keyset pagination
 * with signed cursors, optimistic locking, soft delete, timestamps and
 * fail-closed tenant scoping. Rows are parsed with `schema`; inputs are
 * validated by it before any SQL runs.
 *
 * @example
 * ```ts
 * import { createRepository } from '@plinth/db-repository';
 * import { z } from 'zod';
 *
 * const clients = createRepository(db, {
 *   table: 'clients',
 *   schema: z.object({ id: z.uuid(), tenantId: z.string(), email: z.string(), version: z.number(), createdAt: z.date(), updatedAt: z.date() }),
 *   tenantScoped: true,
 * });
 * const page = await clients.findMany({ where: { email: { like: '%@example.com' } }, limit: 20 });
 * ```
 */
export function createRepository<
  S extends z.ZodObject,
  PK extends keyof z.output<S> & string = 'id' & keyof z.output<S>,
>(db: Database, options: RepositoryOptions<S, PK>): Repository<S, PK> {
  const internals = db ? internalsOf(db) : undefined;
  if (!internals)
    throw invalidOptions('createRepository', {
      path: 'db',
      message: 'must come from createDatabase',
    });
  requireOptionsObject(options, 'createRepository', 'table and schema');
  const m = buildModel(options);
  type Row = z.output<S>;
  const schema = options.schema as unknown as z.ZodType<Row>;
  const meta = (operation: string) => ({ operation, collection: m.table });
  const col = (property: string) => sql.unsafe(m.columns.get(property)!);
  const table = sql.unsafe(m.tableSql);
  const selectList = sql.unsafe(m.selectList);
  let rlsChecked = false;

  /** Tenant resolution first (fail closed), then RLS transaction wrapping when enabled. */
  async function scoped<T>(fn: (tenant: string | undefined) => Promise<T>): Promise<T> {
    const tenant = m.tenant ? requireTenant(m.table) : undefined;
    // Before any SQL (the RLS startup check included): a transaction serves one tenant.
    if (tenant !== undefined) internals!.bindTenant(tenant, m.table);
    if (!m.rls || tenant === undefined) return fn(tenant);
    if (!rlsChecked) {
      await verifyRowLevelSecurity(db, [m.table]);
      rlsChecked = true;
    }
    return internals!.withTenant(tenant, () => fn(tenant));
  }

  const run = async (q: SqlQuery, operation: string) =>
    internals.exec(q.text, q.values, meta(operation));

  /** Tenant and soft-delete conditions every statement carries. */
  function baseConditions(tenant: string | undefined): SqlQuery[] {
    const out: SqlQuery[] = [];
    if (m.tenant) out.push(sql`${col(m.tenant)} = ${tenant}`);
    if (m.softDelete) out.push(sql`${col(m.softDelete)} IS NULL`);
    return out;
  }
  const whereSql = (conds: SqlQuery[]) =>
    conds.length === 0 ? sql`` : sql` WHERE ${sql.join(conds, sql` AND `)}`;
  const checkId = (id: unknown) => {
    if (id === undefined || id === null) throw invalidInput('id', 'is required', 'invalid_type');
    return id;
  };

  // findById is the hot path: its text is built once.
  const byIdText = `SELECT ${m.selectList} FROM ${m.tableSql} WHERE ${m.columns.get(m.pk)} = $1${m.tenant ? ` AND ${m.columns.get(m.tenant)} = $2` : ''}${m.softDelete ? ` AND ${m.columns.get(m.softDelete)} IS NULL` : ''} LIMIT 1`;

  async function findPage(
    opts: NonNullable<Parameters<Repository<S, PK>['findMany']>[0]>,
    forceLimit?: number,
  ) {
    const conds = compileWhere(m, opts.where);
    const keys = parseOrderBy(m, opts.orderBy);
    const limit = forceLimit ?? opts.limit ?? m.defaultLimit;
    if (!Number.isInteger(limit) || limit < 1 || limit > m.maxLimit)
      throw invalidInput('limit', `must be an integer from 1 to ${m.maxLimit}`, 'invalid_limit');
    // The tenant is read here as well as in scoped(): a cursor is refused before any SQL runs.
    const scope = {
      table: m.table,
      order: orderSignature(keys),
      tenant: m.tenant ? requireTenant(m.table) : undefined,
    };
    if (opts.cursor !== undefined && opts.cursor !== null) {
      const values = decodeCursor(internals!.cursorKey, opts.cursor, scope, keys.length);
      conds.push(keysetPredicate(keys, values));
    }
    return scoped(async (tenant) => {
      const all = [...baseConditions(tenant), ...conds];
      const q = sql`SELECT ${selectList}, ${sql.unsafe(cursorSelect(keys))} FROM ${table}${whereSql(all)} ORDER BY ${orderClause(keys)} LIMIT ${limit + 1}`;
      const { rows } = await run(q, 'SELECT');
      const hasMore = rows.length > limit;
      const pageRows = hasMore ? rows.slice(0, limit) : rows;
      const last = pageRows[pageRows.length - 1];
      const nextCursor =
        hasMore && last
          ? encodeCursor(
              internals!.cursorKey,
              scope,
              keys.map((_, i) => (last[`__k${i}`] ?? null) as string | null),
            )
          : null;
      return { items: toRows(schema, pageRows, keys.length), nextCursor };
    });
  }

  /** Builds INSERT text directly (no fragment per value): createMany is a bulk path. The tenant is `$1`, shared by all rows. */
  function insertStatement(
    rows: Record<string, unknown>[],
    props: string[],
    tenant: string | undefined,
  ) {
    const values: unknown[] = m.tenant ? [tenant] : [];
    const managed: [string, string][] = [];
    if (m.tenant) managed.push([m.tenant, '$1']);
    if (m.createdAt) managed.push([m.createdAt, 'now()']);
    if (m.updatedAt) managed.push([m.updatedAt, 'now()']);
    if (m.version) managed.push([m.version, '1']);
    const columns = [...props, ...managed.map(([p]) => p)].map((p) => m.columns.get(p)).join(', ');
    const fixed = managed.map(([, v]) => v);
    if (columns.length === 0) {
      // Every column defaulted: VALUES () is not SQL, DEFAULT VALUES inserts one row.
      if (rows.length !== 1)
        throw invalidInput(
          'inputs',
          'rows without any column must be created one at a time',
          'invalid_type',
        );
      return { text: `INSERT INTO ${m.tableSql} DEFAULT VALUES RETURNING ${m.selectList}`, values };
    }
    const tuples = rows.map((row) => {
      const items = props.map((p) => (p in row ? `$${values.push(row[p])}` : 'DEFAULT'));
      return `(${[...items, ...fixed].join(', ')})`;
    });
    return {
      text: `INSERT INTO ${m.tableSql} (${columns}) VALUES ${tuples.join(', ')} RETURNING ${m.selectList}`,
      values,
    };
  }

  async function insert(inputs: readonly unknown[]): Promise<Row[]> {
    const parsed = inputs.map((input, i) =>
      withoutUndefined(parseInput(m.createSchema, input, inputs.length > 1 ? String(i) : '')),
    );
    const props = [...new Set(parsed.flatMap((r) => Object.keys(r)))];
    const chunkSize = Math.max(1, Math.floor((MAX_PARAMETERS - 1) / Math.max(1, props.length)));
    return scoped(async (tenant) => {
      const write = async () => {
        const out: Row[] = [];
        for (let i = 0; i < parsed.length; i += chunkSize) {
          const { text, values } = insertStatement(parsed.slice(i, i + chunkSize), props, tenant);
          out.push(...toRows(schema, (await internals!.exec(text, values, meta('INSERT'))).rows));
        }
        return out;
      };
      return parsed.length > chunkSize ? db.transaction(write) : write();
    });
  }

  /** After a write matched no row: ConflictError when the row exists at another version (else it is absent). */
  async function throwIfStale(
    id: unknown,
    tenant: string | undefined,
    expected: number | undefined,
  ): Promise<void> {
    if (expected !== undefined) {
      const q = sql`SELECT ${col(m.version!)} AS "v" FROM ${table} WHERE ${sql.join([sql`${col(m.pk)} = ${id}`, ...baseConditions(tenant)], sql` AND `)}`;
      const { rows } = await run(q, 'SELECT');
      if (rows.length > 0) {
        throw new ConflictError('The resource was modified by someone else; reload it and retry', {
          code: 'VERSION_CONFLICT',
          details: { currentVersion: rows[0]!.v },
          context: { table: m.table },
        });
      }
    }
  }

  async function mutate(
    id: unknown,
    sets: SqlQuery[],
    expectedVersion: unknown,
    operation: string,
  ): Promise<Row | null> {
    checkId(id);
    const expected = checkVersion(m, expectedVersion);
    return scoped(async (tenant) => {
      if (m.updatedAt) sets.push(sql`${col(m.updatedAt)} = now()`);
      if (m.version) sets.push(sql`${col(m.version)} = ${col(m.version)} + 1`);
      const conds = [sql`${col(m.pk)} = ${id}`, ...baseConditions(tenant)];
      if (expected !== undefined) conds.push(sql`${col(m.version!)} = ${expected}`);
      const q = sql`UPDATE ${table} SET ${sql.join(sets)}${whereSql(conds)} RETURNING ${selectList}`;
      const { rows } = await run(q, operation);
      if (rows.length > 0) return toRows(schema, rows)[0]!;
      await throwIfStale(id, tenant, expected);
      return null;
    });
  }

  return {
    async findById(id) {
      checkId(id);
      return scoped(async (tenant) => {
        const { rows } = await internals.exec(
          byIdText,
          m.tenant ? [id, tenant] : [id],
          meta('SELECT'),
        );
        return rows.length === 0 ? null : toRows(schema, rows)[0]!;
      });
    },
    async findOne(where, opts) {
      if (where === undefined) throw invalidInput('where', 'is required', 'invalid_type');
      const page = await findPage({ where, orderBy: opts?.orderBy }, 1);
      return page.items[0] ?? null;
    },
    findMany: (opts) => findPage(opts ?? {}),
    async create(input) {
      return (await insert([input]))[0]!;
    },
    async createMany(inputs) {
      if (!Array.isArray(inputs)) throw invalidInput('inputs', 'must be an array', 'invalid_type');
      return inputs.length === 0 ? [] : insert(inputs);
    },
    async update(id, patch, opts) {
      const values = withoutUndefined(parseInput(m.patchSchema, patch, ''));
      if (Object.keys(values).length === 0)
        throw invalidInput('patch', 'has no fields to update', 'empty_patch');
      const sets = Object.entries(values).map(([p, v]) => sql`${col(p)} = ${v}`);
      const row = await mutate(id, sets, opts?.expectedVersion, 'UPDATE');
      if (row === null) throw new NotFoundError(undefined, { context: { table: m.table } });
      return row;
    },
    async delete(id, opts) {
      if (m.softDelete) {
        const sets = [sql`${col(m.softDelete)} = now()`];
        return (await mutate(id, sets, opts?.expectedVersion, 'UPDATE')) !== null;
      }
      checkId(id);
      const expected = checkVersion(m, opts?.expectedVersion);
      return scoped(async (tenant) => {
        const conds = [sql`${col(m.pk)} = ${id}`, ...baseConditions(tenant)];
        if (expected !== undefined) conds.push(sql`${col(m.version!)} = ${expected}`);
        const { rowCount } = await run(sql`DELETE FROM ${table}${whereSql(conds)}`, 'DELETE');
        if (rowCount > 0) return true;
        await throwIfStale(id, tenant, expected);
        return false;
      });
    },
    async count(where) {
      const conds = compileWhere(m, where);
      return scoped(async (tenant) => {
        const { rows } = await run(
          sql`SELECT count(*) AS "n" FROM ${table}${whereSql([...baseConditions(tenant), ...conds])}`,
          'SELECT',
        );
        return Number(rows[0]!.n);
      });
    },
    async exists(where) {
      const conds = compileWhere(m, where);
      return scoped(async (tenant) => {
        const { rows } = await run(
          sql`SELECT EXISTS (SELECT 1 FROM ${table}${whereSql([...baseConditions(tenant), ...conds])}) AS "e"`,
          'SELECT',
        );
        return rows[0]!.e === true;
      });
    },
  };
}
