import type { RepositoryModel } from './repository-model.js';
import { type SqlQuery, sql } from './sql.js';
import { invalidInput } from './where.js';

/** One sort key: property, quoted column, direction. */
export interface SortKey {
  property: string;
  column: string;
  desc: boolean;
  notNull: boolean;
}

/** Parses `orderBy`, rejects unknown fields, and appends the primary key as a tie-breaker. */
export function parseOrderBy(model: RepositoryModel, orderBy: unknown): SortKey[] {
  const entries: [string, unknown][] = [];
  const items = orderBy === undefined ? [] : Array.isArray(orderBy) ? orderBy : [orderBy];
  for (const item of items) {
    if (typeof item !== 'object' || item === null || Array.isArray(item))
      throw invalidInput('orderBy', 'must be an object or a list of objects', 'invalid_type');
    entries.push(...Object.entries(item));
  }
  const keys: SortKey[] = [];
  for (const [property, direction] of entries) {
    const column = model.columns.get(property);
    if (column === undefined)
      throw invalidInput(
        `orderBy.${property.slice(0, 64)}`,
        'is not a known field',
        'unknown_field',
      );
    if (direction !== 'asc' && direction !== 'desc')
      throw invalidInput(`orderBy.${property}`, "must be 'asc' or 'desc'", 'invalid_direction');
    if (keys.some((k) => k.property === property))
      throw invalidInput(`orderBy.${property}`, 'is listed twice', 'duplicate_field');
    keys.push({ property, column, desc: direction === 'desc', notNull: property === model.pk });
  }
  if (!keys.some((k) => k.property === model.pk)) {
    keys.push({
      property: model.pk,
      column: model.columns.get(model.pk)!,
      desc: false,
      notNull: true,
    });
  }
  return keys;
}

/** `createdAt:desc,id:asc`: binds a cursor to its sort order. */
export const orderSignature = (keys: readonly SortKey[]) =>
  keys.map((k) => `${k.property}:${k.desc ? 'desc' : 'asc'}`).join(',');

/** `ORDER BY` with explicit NULL placement (NULLs sort as the largest value both ways). */
export function orderClause(keys: readonly SortKey[]): SqlQuery {
  return sql.unsafe(
    keys.map((k) => `${k.column} ${k.desc ? 'DESC NULLS FIRST' : 'ASC NULLS LAST'}`).join(', '),
  );
}

/** Extra select items carrying each sort key as PostgreSQL text, so cursors keep full precision. */
export function cursorSelect(keys: readonly SortKey[]): string {
  return keys.map((k, i) => `${k.column}::text AS "__k${i}"`).join(', ');
}

function after(key: SortKey, value: string | null): SqlQuery {
  const col = sql.unsafe(key.column);
  if (key.desc) return value === null ? sql`${col} IS NOT NULL` : sql`${col} < ${value}`;
  if (value === null) return sql`FALSE`;
  return key.notNull ? sql`${col} > ${value}` : sql`(${col} > ${value} OR ${col} IS NULL)`;
}

function equal(key: SortKey, value: string | null): SqlQuery {
  const col = sql.unsafe(key.column);
  return value === null ? sql`${col} IS NULL` : sql`${col} = ${value}`;
}

/** Rows strictly after the cursor row: OR over i of (keys before i equal AND key i after). */
export function keysetPredicate(
  keys: readonly SortKey[],
  values: readonly (string | null)[],
): SqlQuery {
  const branches = keys.map((key, i) => {
    const parts = keys.slice(0, i).map((k, j) => equal(k, values[j] ?? null));
    parts.push(after(key, values[i] ?? null));
    return sql`(${sql.join(parts, sql` AND `)})`;
  });
  return sql`(${sql.join(branches, sql` OR `)})`;
}
