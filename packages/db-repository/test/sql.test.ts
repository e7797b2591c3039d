import { escapeLike, isSqlQuery, sql } from '@plinth/db-repository';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { quoteIdentifier, quoteQualified } from '../src/identifier.js';

describe('sql', () => {
  it('turns every interpolated value into a parameter', () => {
    const q = sql`SELECT * FROM t WHERE a = ${"x'; DROP TABLE t; --"} AND b = ${2}`;
    expect(q.text).toBe('SELECT * FROM t WHERE a = $1 AND b = $2');
    expect(q.values).toEqual(["x'; DROP TABLE t; --", 2]);
  });

  it('renumbers placeholders of fragments nested in fragments', () => {
    const inner = sql`b = ${2} AND c = ${3}`;
    const middle = sql`a = ${1} AND (${inner})`;
    const q = sql`SELECT 1 WHERE ${middle} OR d = ${4} OR ${inner}`;
    expect(q.text).toBe(
      'SELECT 1 WHERE a = $1 AND (b = $2 AND c = $3) OR d = $4 OR b = $5 AND c = $6',
    );
    expect(q.values).toEqual([1, 2, 3, 4, 2, 3]);
  });

  it('numbers placeholders in order with matching values for any nesting of fragments and arrays', () => {
    type Tree = { v: number } | { a: number[] } | { kids: Tree[] };
    const { tree } = fc.letrec<{ tree: Tree }>((tie) => ({
      tree: fc.oneof(
        { depthSize: 'small', withCrossShrink: true },
        fc.record({ v: fc.integer() }),
        fc.record({ a: fc.array(fc.integer(), { maxLength: 3 }) }),
        fc.record({ kids: fc.array(tie('tree'), { maxLength: 4 }) }),
      ),
    }));
    const render = (t: Tree): string =>
      'v' in t
        ? `<${t.v}>`
        : 'a' in t
          ? `<${JSON.stringify(t.a)}>`
          : `(${t.kids.map(render).join(' ')})`;
    const build = (t: Tree): unknown =>
      'v' in t ? t.v : 'a' in t ? t.a : sql`(${sql.join(t.kids.map(build), sql` `)})`;
    fc.assert(
      fc.property(tree, (t) => {
        const q = sql`${build(t)}`;
        const seen: number[] = [];
        const text = q.text.replace(/\$(\d+)/g, (_, n: string) => {
          seen.push(Number(n));
          return `<${JSON.stringify(q.values[Number(n) - 1])}>`;
        });
        expect(seen).toEqual(seen.map((_, i) => i + 1));
        expect(seen).toHaveLength(q.values.length);
        expect(text).toBe(render(t));
      }),
    );
  });

  it('passes an array as one parameter for = ANY', () => {
    const q = sql`SELECT 1 WHERE id = ANY(${[1, 2, 3]})`;
    expect(q.text).toBe('SELECT 1 WHERE id = ANY($1)');
    expect(q.values).toEqual([[1, 2, 3]]);
  });

  it('expands sql.list into one placeholder per value for IN', () => {
    const q = sql`SELECT 1 WHERE id IN (${sql.list(['a', 'b'])})`;
    expect(q.text).toBe('SELECT 1 WHERE id IN ($1, $2)');
  });

  it('rejects an empty sql.list instead of emitting IN ()', () => {
    expect(() => sql.list([])).toThrow(expect.objectContaining({ code: 'SQL_BUILD_ERROR' }));
  });

  it('joins values and fragments with a separator', () => {
    const q = sql`SELECT ${sql.join([sql`a`, 1, sql`b + ${2}`], sql` | `)}`;
    expect(q.text).toBe('SELECT a | $1 | b + $2');
  });

  it('rejects a separator that is not a fragment with a typed error', () => {
    expect(() => sql.join([1, 2], ', ' as never)).toThrow(
      expect.objectContaining({ code: 'SQL_BUILD_ERROR' }),
    );
  });

  it('escapes LIKE wildcards and the escape character in escapeLike', () => {
    expect(escapeLike('50%_off\\x')).toBe('50\\%\\_off\\\\x');
  });

  it('quotes valid identifiers and rejects anything else', () => {
    expect(sql.identifier('public', 'users').text).toBe('"public"."users"');
    for (const bad of ['a"b', 'a b', '', '1abc', 'x;drop', 'a'.repeat(64), 'a.b', 'a\0b', 'ünï']) {
      expect(() => sql.identifier(bad)).toThrow(
        expect.objectContaining({ code: 'SQL_BUILD_ERROR' }),
      );
    }
  });

  it('escapes a double quote inside a quoted identifier by doubling it', () => {
    expect(quoteIdentifier('a"b')).toBe('"a""b"');
    expect(quoteIdentifier('"; DROP TABLE t; --')).toBe('"""; DROP TABLE t; --"');
  });

  it('quotes schema-qualified names part by part and refuses anything but plain parts', () => {
    expect(quoteQualified('app.clients', 2)).toBe('"app"."clients"');
    for (const bad of ['a.b.c', 'a"b', 'a..b', '', 5])
      expect(quoteQualified(bad, 2)).toBeUndefined();
  });

  it('rejects undefined values rather than sending NULL', () => {
    expect(() => sql`SELECT ${undefined}`).toThrow(/undefined/);
  });

  it('inserts sql.unsafe text verbatim', () => {
    expect(sql`SELECT ${sql.unsafe('now()')}`.text).toBe('SELECT now()');
  });

  it('refuses to be called as a function with a plain string', () => {
    expect(() => (sql as unknown as (s: string) => unknown)('SELECT 1')).toThrow(/tagged template/);
  });

  it('brands queries so plain objects are not mistaken for them', () => {
    expect(isSqlQuery(sql`SELECT 1`)).toBe(true);
    expect(isSqlQuery({ text: 'SELECT 1', values: [] })).toBe(false);
  });
});
