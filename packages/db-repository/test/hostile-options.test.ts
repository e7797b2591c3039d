import { createDatabase, createRepository, escapeLike, migrate } from '@plinth/db-repository';
import { afterAll, describe, expect, it } from 'vitest';
import { z } from 'zod';

// No query runs here: every case must fail (or succeed) before a connection is needed.
const db = createDatabase({ connectionString: 'postgres://nobody@127.0.0.1:1/none' });
afterAll(() => db.close());

const invalidOptions = expect.objectContaining({
  code: 'INVALID_OPTIONS',
  status: 500,
  expose: false,
});

describe('a developer mistake in options', () => {
  it('is a 500 INVALID_OPTIONS for bad transaction options, before a client is checked out', async () => {
    await expect(db.transaction(async () => 1, { retries: 1.5 })).rejects.toEqual(invalidOptions);
    await expect(db.transaction('nope' as never)).rejects.toEqual(invalidOptions);
  });

  it('is a 500 INVALID_OPTIONS for a schema that is not a zod object', () => {
    expect(() =>
      createRepository(db, { table: 'x', schema: { shape: { id: 1 } } as never }),
    ).toThrow(invalidOptions);
    expect(() => createRepository(db, { table: 'x', schema: undefined as never })).toThrow(
      invalidOptions,
    );
  });

  it('is a 500 INVALID_OPTIONS for expectedVersion on a repository without versions, before any SQL', async () => {
    const repo = createRepository(db, {
      table: 'x',
      schema: z.object({ id: z.number(), name: z.string() }),
    });
    await expect(repo.update(1, { name: 'a' }, { expectedVersion: 1 })).rejects.toEqual(
      invalidOptions,
    );
    await expect(repo.delete(1, { expectedVersion: 1 })).rejects.toEqual(invalidOptions);
  });

  it('is a 500 INVALID_OPTIONS, never a client 400, when escapeLike gets a non-string', () => {
    expect(() => escapeLike(5 as never)).toThrow(invalidOptions);
    expect(() => escapeLike(['a'] as never)).toThrow(invalidOptions);
  });

  const url = 'postgres://nobody:pw-not-echoed@127.0.0.1:1/none';

  it('is a 500 INVALID_OPTIONS at createDatabase for a logger without error, warn and info', () => {
    const call = () =>
      createDatabase({ connectionString: url, logger: 5 as never, slowQueryMs: 1 });
    expect(call).toThrow(invalidOptions);
    expect(call).toThrow(/logger must have error, warn and info methods/);
    expect(() => createDatabase({ connectionString: url, logger: { warn() {} } as never })).toThrow(
      invalidOptions,
    );
  });

  it('is a 500 INVALID_OPTIONS at createDatabase for a tracer without startSpan', () => {
    const call = () => createDatabase({ connectionString: url, tracer: {} as never });
    expect(call).toThrow(invalidOptions);
    expect(call).toThrow(/tracer must have a startSpan method/);
  });

  it('is a 500 INVALID_OPTIONS, not a TypeError, for missing options or a null pool', () => {
    expect(() => (createDatabase as (o?: unknown) => unknown)()).toThrow(invalidOptions);
    expect(() => createDatabase(null as never)).toThrow(invalidOptions);
    const nullPool = () => createDatabase({ connectionString: url, pool: null as never });
    expect(nullPool).toThrow(invalidOptions);
    expect(nullPool).toThrow(/pool must be an object/);
    expect(nullPool).not.toThrow(/pw-not-echoed/);
  });

  it('is a 500 INVALID_OPTIONS when createRepository gets no options', () => {
    expect(() => (createRepository as (d: unknown) => unknown)(db)).toThrow(invalidOptions);
    expect(() => createRepository(db, null as never)).toThrow(invalidOptions);
  });

  it('reports a non-object options argument at path options, saying what it must hold', async () => {
    const calls: [string, (options: unknown) => unknown, string][] = [
      ['createDatabase', (o) => createDatabase(o as never), 'a connectionString'],
      ['createRepository', (o) => createRepository(db, o as never), 'table and schema'],
      ['migrate', (o) => migrate(db, o as never), 'a directory'],
    ];
    for (const [name, call, holds] of calls) {
      for (const options of [undefined, null, 'x', [], () => ({})]) {
        const refusal = expect.objectContaining({
          code: 'INVALID_OPTIONS',
          message: `${name}: options must be an object with ${holds}`,
          issues: [
            { path: 'options', message: `must be an object with ${holds}`, code: 'invalid_option' },
          ],
        });
        await expect(Promise.resolve().then(() => call(options))).rejects.toEqual(refusal);
      }
    }
  });

  it('is a 500 INVALID_OPTIONS when migrate gets no options, no directory or no database', async () => {
    await expect((migrate as (d: unknown) => Promise<unknown>)(db)).rejects.toEqual(invalidOptions);
    await expect(migrate(db, {} as never)).rejects.toEqual(invalidOptions);
    await expect(migrate(null as never, { directory: '.' })).rejects.toEqual(invalidOptions);
  });
});
