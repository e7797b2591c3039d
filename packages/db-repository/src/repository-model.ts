import { invalidOptions, type OptionIssueInput } from '@plinth/errors';
import type { z } from 'zod';
import { isPlainIdentifier, quoteIdentifier, quoteQualified } from './identifier.js';
import type { RepositoryOptions } from './repository-types.js';

/** The default property → column mapping of repositories (`createdAt` → `created_at`). */
export function toSnakeCase(property: string): string {
  return property
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/([A-Z])([A-Z][a-z])/g, '$1_$2')
    .toLowerCase();
}

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
  columns: ReadonlyMap<string, string>,
  option: boolean | string | undefined,
  fallback: string,
  autoWhenPresent: boolean,
  issues: OptionIssueInput[],
  path: string,
): string | undefined {
  if (option === false) return undefined;
  if (option === undefined) return autoWhenPresent && columns.has(fallback) ? fallback : undefined;
  const name = option === true ? fallback : option;
  if (!columns.has(name)) issues.push({ path, message: `names "${name}", which the schema lacks` });
  return name;
}

/** Validates repository options against the schema and precomputes SQL pieces. */
export function buildModel<S extends z.ZodObject, PK extends keyof z.output<S> & string>(
  options: RepositoryOptions<S, PK>,
): RepositoryModel {
  const { table, schema } = options;
  const issues: OptionIssueInput[] = [];
  const tableSql = quoteQualified(table, 2);
  if (tableSql === undefined)
    issues.push({ path: 'table', message: 'must be a plain identifier, optionally schema.table' });
  const zod = schema as { shape?: Record<string, unknown>; omit?: unknown } | undefined;
  const shape = zod?.shape;
  if (typeof shape !== 'object' || shape === null || typeof zod?.omit !== 'function')
    throw invalidOptions('createRepository', { path: 'schema', message: 'must be a zod object' });

  const columns = new Map<string, string>();
  for (const property of Object.keys(shape)) {
    const column =
      (options.columns as Record<string, string> | undefined)?.[property] ?? toSnakeCase(property);
    if (isPlainIdentifier(column)) columns.set(property, quoteIdentifier(column));
    else issues.push({ path: `columns.${property}`, message: 'must be a plain identifier' });
  }
  const pk = options.primaryKey ?? 'id';
  if (!columns.has(pk))
    issues.push({ path: 'primaryKey', message: `"${pk}" is not in the schema` });
  const tenantScoped = options.tenantScoped === true;
  const tenant = tenantScoped ? (options.tenantKey ?? 'tenantId') : undefined;
  if (tenant && !columns.has(tenant))
    issues.push({ path: 'tenantKey', message: `"${tenant}" is not in the schema` });
  if (options.rls && !tenantScoped)
    issues.push({ path: 'rls', message: 'requires tenantScoped: true' });
  const version = pickProperty(columns, options.version, 'version', true, issues, 'version');
  const softDelete = pickProperty(
    columns,
    options.softDelete,
    'deletedAt',
    false,
    issues,
    'softDelete',
  );
  const defaultLimit = options.defaultLimit ?? 50;
  const maxLimit = options.maxLimit ?? 500;
  if (
    !Number.isInteger(defaultLimit) ||
    !Number.isInteger(maxLimit) ||
    defaultLimit < 1 ||
    maxLimit < defaultLimit
  )
    issues.push({
      path: 'maxLimit',
      message: 'and defaultLimit must be integers with 1 ≤ defaultLimit ≤ maxLimit',
    });
  if (issues.length > 0) throw invalidOptions('createRepository', issues);

  const timestamps = options.timestamps !== false;
  const createdAt = timestamps && columns.has('createdAt') ? 'createdAt' : undefined;
  const updatedAt = timestamps && columns.has('updatedAt') ? 'updatedAt' : undefined;
  const managed = new Set(
    [tenant, version, softDelete, createdAt, updatedAt].filter((x): x is string => x !== undefined),
  );
  const base = schema.omit(Object.fromEntries([...managed].map((k) => [k, true])) as never);
  return {
    table,
    tableSql: tableSql!,
    columns,
    selectList: [...columns].map(([p, c]) => `${c} AS ${quoteIdentifier(p)}`).join(', '),
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
