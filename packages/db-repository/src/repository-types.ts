import type { z } from 'zod';

/** Properties the repository maintains itself; they are not accepted in `create`/`update` input. */
export type ManagedKey = 'tenantId' | 'createdAt' | 'updatedAt' | 'version' | 'deletedAt';

/** Comparison operators of a `where` filter. A bare value means `eq`; `null` means `isNull: true`. */
export interface FieldOperators<V> {
  eq?: V;
  /** `IS DISTINCT FROM`: rows where the column is NULL match too. */
  ne?: V;
  /** `= ANY($n)`; an empty list matches nothing. */
  in?: readonly V[];
  lt?: V;
  lte?: V;
  gt?: V;
  gte?: V;
  /** SQL `LIKE` with the caller's pattern as a parameter (`%`/`_` are wildcards). */
  like?: string;
  isNull?: boolean;
}

/** A filter on one field. */
export type FieldFilter<V> = V | null | FieldOperators<NonNullable<V>>;

/** Filters by property name (AND-ed). Unknown keys and `undefined` values are ValidationErrors. */
export type Where<Row> = { [K in keyof Row]?: FieldFilter<Row[K]> };

/** Sort direction by property; several keys sort in insertion order. */
export type OrderBy<Row> = { [K in keyof Row]?: 'asc' | 'desc' };

/** Options of `findMany`. */
export interface FindManyOptions<Row> {
  where?: Where<Row>;
  /** Default: primary key ascending. The primary key is always appended as a tie-breaker. */
  orderBy?: OrderBy<Row> | readonly OrderBy<Row>[];
  /** 1 … `maxLimit`; default `defaultLimit`. */
  limit?: number;
  /** `nextCursor` from the previous page, for the same `orderBy`. */
  cursor?: string | null;
}

/** A page of rows; `nextCursor` is `null` on the last page. */
export interface Page<Row> {
  items: Row[];
  nextCursor: string | null;
}

/** Input of `create`: the row without managed properties; the primary key is optional (DB default). */
export type CreateInput<S extends z.ZodObject, PK extends PropertyKey> = Omit<
  z.input<S>,
  ManagedKey | PK
> &
  Partial<Pick<z.input<S>, PK & keyof z.input<S>>>;

/** Input of `update`: any subset of the non-managed, non-key properties. `undefined` values are ignored. */
export type UpdatePatch<S extends z.ZodObject, PK extends PropertyKey> = Partial<
  Omit<z.input<S>, ManagedKey | PK>
>;

/** Options of {@link createRepository}. */
export interface RepositoryOptions<S extends z.ZodObject, PK extends keyof z.output<S> & string> {
  /** Table name, optionally schema-qualified (`'app.clients'`). Plain identifiers only. */
  table: string;
  /** zod object schema of a row, by camelCase property. Every row read is parsed with it. */
  schema: S;
  /** Primary-key property. Default `'id'`. */
  primaryKey?: PK;
  /** Scope every statement to `getContext().tenantId`. Default `false`. */
  tenantScoped?: boolean;
  /** Property holding the tenant id. Default `'tenantId'`. */
  tenantKey?: keyof z.output<S> & string;
  /** Also set `app.tenant_id` for PostgreSQL row-level security in each transaction. Default `false`. */
  rls?: boolean;
  /** Optimistic locking on this integer property (`true` → `'version'`). Default: on if the schema has `version`. */
  version?: boolean | (keyof z.output<S> & string);
  /** Soft delete through this timestamp property (`true` → `'deletedAt'`). Default `false`. */
  softDelete?: boolean | (keyof z.output<S> & string);
  /** Maintain `createdAt`/`updatedAt` when the schema has them. Default `true`. */
  timestamps?: boolean;
  /** Column-name overrides by property; the rest are snake_cased. */
  columns?: { [K in keyof z.output<S>]?: string };
  /** Page size when `limit` is omitted. Default 50. */
  defaultLimit?: number;
  /** Largest accepted `limit`. Default 500. */
  maxLimit?: number;
}

/** Typed CRUD over one table. Reads exclude soft-deleted rows; tenant-scoped repositories see one tenant only. */
export interface Repository<S extends z.ZodObject, PK extends keyof z.output<S> & string> {
  findById(id: z.output<S>[PK]): Promise<z.output<S> | null>;
  /** The first match in `orderBy` order (default: primary key), or `null`. */
  findOne(
    where: Where<z.output<S>>,
    options?: Pick<FindManyOptions<z.output<S>>, 'orderBy'>,
  ): Promise<z.output<S> | null>;
  findMany(options?: FindManyOptions<z.output<S>>): Promise<Page<z.output<S>>>;
  create(input: CreateInput<S, PK>): Promise<z.output<S>>;
  /** One multi-row INSERT per chunk (under 65,535 parameters), all in one transaction; rows in input order. */
  createMany(inputs: readonly CreateInput<S, PK>[]): Promise<z.output<S>[]>;
  /** Partial update; NotFoundError when absent, ConflictError `VERSION_CONFLICT` when `expectedVersion` is stale. */
  update(
    id: z.output<S>[PK],
    patch: UpdatePatch<S, PK>,
    options?: { expectedVersion?: number },
  ): Promise<z.output<S>>;
  /** Deletes (or soft-deletes); `false` when there was no such row. */
  delete(id: z.output<S>[PK], options?: { expectedVersion?: number }): Promise<boolean>;
  count(where?: Where<z.output<S>>): Promise<number>;
  exists(where?: Where<z.output<S>>): Promise<boolean>;
}
