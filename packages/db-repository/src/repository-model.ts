import type { z } from 'zod';
import { usageError } from './errors.js';
import type { RepositoryOptions } from './repository-types.js';

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_$]*$/;

/**
 * The default property → column mapping of repositories.
 *
 * @example
 * ```ts
 * import { toSnakeCase } from '@plinth/db-repository';
 *
 * toSnakeCase('createdAt'); // 'created_at'
 * ```
 */
export function toSnakeCase(property: string): string {
  if (typeof property !== 'string') throw usageError('toSnakeCase expects a string');
  return property
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/([A-Z])([A-Z][a-z])/g, '$1_$2')
    .toLowerCase();
}

const quote = (name: string) => `"${name}"`;

/** Everything a repository derives once from its options. */
export interface RepositoryModel {
  table: string;
  tableSql: string;
  /** Property → quoted column. */
  columns: ReadonlyMap<string, string>;
  selectList: string;
  pk: string;
  tenant?: string;
  rls: boolean;
  version?: string;
  softDelete?: string;
  createdAt?: string;
  updatedAt?: string;
  managed: ReadonlySet<string>;
  createSchema: z.ZodType<Record<string, unknown>>;
  patchSchema: z.ZodType<Record<string, unknown>>;
  defaultLimit: number;
  maxLimit: number;
}

function pickProperty(
  shape: Record<string, unknown>,
  option: boolean | string | undefined,
  fallback: string,
  autoWhenPresent: boolean,
): string | undefined {
  if (option === false) return undefined;
  if (option === undefined) return autoWhenPresent && fallback in shape ? fallback : undefined;
  const name = option === true ? fallback : option;
  if (!(name in shape))
    throw usageError(`createRepository: the schema has no "${name}" property`, 'DB_CONFIG_INVALID');
  return name;
}

/** Validates repository options against the schema and precomputes SQL pieces. */
export function buildModel<S extends z.ZodObject, PK extends keyof z.output<S> & string>(
  options: RepositoryOptions<S, PK>,
): RepositoryModel {
  if (typeof options !== 'object' || options === null)
    throw usageError(
      'createRepository: options { table, schema } are required',
      'DB_CONFIG_INVALID',
    );
  const { table, schema } = options;
  if (
    typeof table !== 'string' ||
    !table.split('.').every((p) => IDENTIFIER.test(p)) ||
    table.split('.').length > 2
  ) {
    throw usageError(
      'createRepository: table must be a plain identifier, optionally schema-qualified',
      'DB_CONFIG_INVALID',
    );
  }
  const shape = (schema as unknown as { shape?: Record<string, unknown> })?.shape;
  if (
    !shape ||
    typeof shape !== 'object' ||
    typeof (schema as unknown as { omit?: unknown }).omit !== 'function'
  )
    throw usageError('createRepository: schema must be a zod object schema', 'DB_CONFIG_INVALID');

  const columns = new Map<string, string>();
  for (const property of Object.keys(shape)) {
    const column =
      (options.columns as Record<string, string> | undefined)?.[property] ?? toSnakeCase(property);
    if (!IDENTIFIER.test(column) || column.length > 63) {
      throw usageError(
        `createRepository: column for "${property}" is not a plain identifier`,
        'DB_CONFIG_INVALID',
      );
    }
    columns.set(property, quote(column));
  }
  const pk = options.primaryKey ?? 'id';
  if (!columns.has(pk))
    throw usageError(
      `createRepository: the schema has no primary key property "${pk}"`,
      'DB_CONFIG_INVALID',
    );
  const tenantScoped = options.tenantScoped === true;
  const tenant = tenantScoped ? (options.tenantKey ?? 'tenantId') : undefined;
  if (tenant && !columns.has(tenant))
    throw usageError(
      `createRepository: tenantScoped needs a "${tenant}" property`,
      'DB_CONFIG_INVALID',
    );
  if (options.rls && !tenantScoped)
    throw usageError('createRepository: rls requires tenantScoped: true', 'DB_CONFIG_INVALID');

  const version = pickProperty(shape, options.version, 'version', true);
  const softDelete = pickProperty(shape, options.softDelete, 'deletedAt', false);
  const timestamps = options.timestamps !== false;
  const createdAt = timestamps && columns.has('createdAt') ? 'createdAt' : undefined;
  const updatedAt = timestamps && columns.has('updatedAt') ? 'updatedAt' : undefined;
  const managed = new Set(
    [tenant, version, softDelete, createdAt, updatedAt].filter((x): x is string => x !== undefined),
  );

  const omit = Object.fromEntries([...managed].map((k) => [k, true]));
  const base = schema.omit(omit as never);
  const defaultLimit = options.defaultLimit ?? 50;
  const maxLimit = options.maxLimit ?? 500;
  if (
    !Number.isInteger(defaultLimit) ||
    !Number.isInteger(maxLimit) ||
    defaultLimit < 1 ||
    maxLimit < defaultLimit
  ) {
    throw usageError(
      'createRepository: defaultLimit and maxLimit must be integers with 1 ≤ defaultLimit ≤ maxLimit',
      'DB_CONFIG_INVALID',
    );
  }
  return {
    table,
    tableSql: table.split('.').map(quote).join('.'),
    columns,
    selectList: [...columns].map(([p, c]) => `${c} AS ${quote(p)}`).join(', '),
    pk,
    tenant,
    rls: options.rls === true,
    version,
    softDelete,
    createdAt,
    updatedAt,
    managed,
    createSchema: base.partial({ [pk]: true } as never).strict() as unknown as z.ZodType<
      Record<string, unknown>
    >,
    patchSchema: base
      .omit({ [pk]: true } as never)
      .partial()
      .strict() as unknown as z.ZodType<Record<string, unknown>>,
    defaultLimit,
    maxLimit,
  };
}
