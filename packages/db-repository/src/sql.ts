import { InternalError } from '@plinth/errors';
import { isPlainIdentifier, quoteIdentifier } from './identifier.js';

const SQL_BRAND = Symbol.for('plinth.db-repository.sql.v1');

type Part =
  | { readonly kind: 'text'; readonly text: string }
  | { readonly kind: 'value'; readonly value: unknown }
  | { readonly kind: 'fragment'; readonly fragment: SqlQuery };

/** A compiled query: parameterised `text` (`$1`, `$2`, …) and its `values`. */
export interface SqlQuery {
  readonly text: string;
  readonly values: readonly unknown[];
}

/** Raised for a query that cannot be built safely (a programming error, not bad client input). */
function buildError(message: string): InternalError {
  return new InternalError(message, { code: 'SQL_BUILD_ERROR' });
}

class SqlFragment implements SqlQuery {
  readonly [SQL_BRAND] = true;
  readonly #parts: readonly Part[];
  #compiled: { text: string; values: unknown[] } | undefined;

  constructor(parts: readonly Part[]) {
    this.#parts = parts;
  }

  get text(): string {
    return this.#compile().text;
  }

  get values(): readonly unknown[] {
    return this.#compile().values;
  }

  /** Appends this fragment's parts to `out`, numbering placeholders from `values.length + 1`. */
  appendTo(out: string[], values: unknown[]): void {
    for (const part of this.#parts) {
      if (part.kind === 'text') out.push(part.text);
      else if (part.kind === 'value') {
        values.push(part.value);
        out.push(`$${values.length}`);
      } else (part.fragment as SqlFragment).appendTo(out, values);
    }
  }

  #compile() {
    if (!this.#compiled) {
      const out: string[] = [];
      const values: unknown[] = [];
      this.appendTo(out, values);
      if (values.length > 65535) {
        throw buildError(`Query has ${values.length} parameters; PostgreSQL allows at most 65535`);
      }
      this.#compiled = { text: out.join(''), values };
    }
    return this.#compiled;
  }

  toJSON() {
    return { text: this.text, values: this.values.length };
  }
}

/**
 * True for a query built with `sql` (works across copies of this package).
 *
 * @example
 * ```ts
 * import { isSqlQuery, sql } from '@plinth/db-repository';
 *
 * isSqlQuery(sql`SELECT 1`); // true
 * isSqlQuery({ text: 'SELECT 1', values: [] }); // false
 * ```
 */
export function isSqlQuery(value: unknown): value is SqlQuery {
  return typeof value === 'object' && value !== null && SQL_BRAND in value;
}

function valuePart(value: unknown, index: number): Part {
  if (isSqlQuery(value)) return { kind: 'fragment', fragment: value };
  if (value === undefined) {
    throw buildError(`sql: value ${index + 1} is undefined; pass null for SQL NULL`);
  }
  return { kind: 'value', value };
}

function tag(strings: TemplateStringsArray, ...values: unknown[]): SqlQuery {
  if (!Array.isArray(strings) || !Array.isArray((strings as { raw?: unknown }).raw)) {
    throw buildError('sql must be used as a tagged template: sql`SELECT …`');
  }
  const parts: Part[] = [];
  strings.forEach((text, i) => {
    if (text.length > 0) parts.push({ kind: 'text', text });
    if (i < values.length) parts.push(valuePart(values[i], i));
  });
  return new SqlFragment(parts);
}

function identifier(...names: string[]): SqlQuery {
  if (names.length === 0 || names.length > 3) {
    throw buildError(
      'sql.identifier takes 1 to 3 parts (column, table.column, schema.table.column)',
    );
  }
  if (!names.every(isPlainIdentifier)) {
    throw buildError(
      'sql.identifier: each part must match [A-Za-z_][A-Za-z0-9_$]* and fit in 63 bytes (the name is not shown)',
    );
  }
  return new SqlFragment([{ kind: 'text', text: names.map(quoteIdentifier).join('.') }]);
}

function join(
  items: readonly unknown[],
  separator: SqlQuery = new SqlFragment([{ kind: 'text', text: ', ' }]),
): SqlQuery {
  if (!Array.isArray(items)) throw buildError('sql.join expects an array');
  if (!isSqlQuery(separator))
    throw buildError('sql.join: the separator must be a fragment, e.g. sql` AND `');
  const parts: Part[] = [];
  items.forEach((item, i) => {
    if (i > 0) parts.push({ kind: 'fragment', fragment: separator });
    parts.push(valuePart(item, i));
  });
  return new SqlFragment(parts);
}

function list(values: readonly unknown[]): SqlQuery {
  if (!Array.isArray(values) || values.length === 0) {
    throw buildError('sql.list needs a non-empty array; use = ANY($array) when it may be empty');
  }
  return join(values);
}

function unsafe(text: string): SqlQuery {
  if (typeof text !== 'string') throw buildError('sql.unsafe expects a string');
  return new SqlFragment([{ kind: 'text', text }]);
}

/** The `sql` tag plus its helpers. */
export interface SqlTag {
  (strings: TemplateStringsArray, ...values: unknown[]): SqlQuery;
  /** A quoted, validated identifier: `sql.identifier('public', 'users')` → `"public"."users"`. */
  identifier(...names: string[]): SqlQuery;
  /** Joins fragments or values (values become parameters) with `separator` (default `, `). */
  join(items: readonly unknown[], separator?: SqlQuery): SqlQuery;
  /** `$1, $2, …` for `IN (…)`; throws on an empty array. Prefer `= ANY(${array})`. */
  list(values: readonly unknown[]): SqlQuery;
  /** Raw SQL text, inserted verbatim. The only way to add caller text to a query: never pass input. */
  unsafe(text: string): SqlQuery;
}

/**
 * Tagged template for parameterised SQL. Interpolated values always become
 * parameters (`$1`, `$2`, …); interpolated `sql` fragments are inlined with
 * their placeholders renumbered. A JS array is one parameter (use it with
 * `= ANY(${ids})`).
 *
 * @example
 * ```ts
 * import { sql } from '@plinth/db-repository';
 *
 * const active = sql`status = ${'active'}`;
 * const q = sql`SELECT * FROM ${sql.identifier('users')} WHERE ${active} AND id = ANY(${[1, 2]})`;
 * // q.text   === 'SELECT * FROM "users" WHERE status = $1 AND id = ANY($2)'
 * // q.values  → ['active', [1, 2]]
 * ```
 */
export const sql: SqlTag = Object.assign(tag, { identifier, join, list, unsafe });
