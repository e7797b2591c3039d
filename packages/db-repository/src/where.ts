import { ValidationError } from '@plinth/errors';
import type { RepositoryModel } from './repository-model.js';
import { type SqlQuery, sql } from './sql.js';

const OPERATORS = new Set(['eq', 'ne', 'in', 'lt', 'lte', 'gt', 'gte', 'like', 'isNull']);
const COMPARE: Record<string, string> = { lt: ' < ', lte: ' <= ', gt: ' > ', gte: ' >= ' };

/** A ValidationError about `path` raised before any SQL runs. */
export function invalidInput(path: string, message: string, code: string): ValidationError {
  return new ValidationError(`Invalid ${path.split('.')[0]}: ${message}`, {
    errors: [{ path, message, code }],
  });
}

function isOperatorObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

function defined(value: unknown, path: string): unknown {
  if (value === undefined)
    throw invalidInput(path, 'is undefined (use null to match NULL)', 'undefined_value');
  return value;
}

function operatorClause(column: SqlQuery, op: string, value: unknown, path: string): SqlQuery {
  defined(value, path);
  switch (op) {
    case 'eq':
      return value === null ? sql`${column} IS NULL` : sql`${column} = ${value}`;
    case 'ne':
      return value === null ? sql`${column} IS NOT NULL` : sql`${column} IS DISTINCT FROM ${value}`;
    case 'in':
      if (!Array.isArray(value)) throw invalidInput(path, 'must be an array', 'invalid_type');
      if (value.some((v) => v === undefined))
        throw invalidInput(path, 'contains undefined', 'undefined_value');
      return value.length === 0 ? sql`FALSE` : sql`${column} = ANY(${value})`;
    case 'like':
      if (typeof value !== 'string') throw invalidInput(path, 'must be a string', 'invalid_type');
      return sql`${column} LIKE ${value}`;
    case 'isNull':
      if (typeof value !== 'boolean') throw invalidInput(path, 'must be a boolean', 'invalid_type');
      return value ? sql`${column} IS NULL` : sql`${column} IS NOT NULL`;
    default:
      if (value === null) throw invalidInput(path, 'cannot compare with null', 'invalid_type');
      return sql`${column}${sql.unsafe(COMPARE[op]!)}${value}`;
  }
}

/**
 * Compiles a `where` object into AND-ed conditions. Keys must be schema
 * properties and operators must be known: anything else is a ValidationError
 * raised before any SQL runs. Values are always parameters.
 */
export function compileWhere(model: RepositoryModel, where: unknown): SqlQuery[] {
  if (where === undefined) return [];
  if (!isOperatorObject(where))
    throw invalidInput('where', 'must be a plain object', 'invalid_type');
  const clauses: SqlQuery[] = [];
  for (const [key, filter] of Object.entries(where)) {
    const column = model.columns.get(key);
    if (column === undefined || !Object.hasOwn(where, key))
      throw invalidInput(`where.${key.slice(0, 64)}`, 'is not a known field', 'unknown_field');
    const col = sql.unsafe(column);
    defined(filter, `where.${key}`);
    if (!isOperatorObject(filter)) {
      clauses.push(operatorClause(col, 'eq', filter, `where.${key}`));
      continue;
    }
    const ops = Object.entries(filter);
    if (ops.length === 0) throw invalidInput(`where.${key}`, 'has no operator', 'invalid_filter');
    for (const [op, value] of ops) {
      if (!OPERATORS.has(op))
        throw invalidInput(
          `where.${key}.${op.slice(0, 64)}`,
          'is not a known operator',
          'unknown_operator',
        );
      clauses.push(operatorClause(col, op, value, `where.${key}.${op}`));
    }
  }
  return clauses;
}
