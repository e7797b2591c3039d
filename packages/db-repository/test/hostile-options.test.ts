import {
  createDatabase,
  createRepository,
  databaseOptionsFromConfig,
  toSnakeCase,
} from '@plinth/db-repository';
import { afterAll, describe, expect, it } from 'vitest';
import { z } from 'zod';

// No query runs here: every case must fail before a connection is needed.
const db = createDatabase({ connectionString: 'postgres://nobody@127.0.0.1:1/none' });
afterAll(() => db.close());

describe('entry points given malformed options', () => {
  it('rejects null transaction options with a typed error before checking out a client', async () => {
    await expect(db.transaction(async () => 1, null as never)).rejects.toMatchObject({
      code: 'DB_USAGE_ERROR',
      status: 500,
    });
  });

  it('rejects null repository options and a schema that is not a zod object', () => {
    expect(() => createRepository(db, null as never)).toThrow(
      expect.objectContaining({ code: 'DB_CONFIG_INVALID' }),
    );
    expect(() =>
      createRepository(db, { table: 'x', schema: { shape: { id: 1 } } as never }),
    ).toThrow(expect.objectContaining({ code: 'DB_CONFIG_INVALID' }));
    expect(() =>
      createRepository(db, { table: 'x', schema: z.object({ id: z.number() }) }),
    ).not.toThrow();
  });

  it('rejects null options of findOne, update and delete as a 400 before any SQL', async () => {
    const repo = createRepository(db, {
      table: 'x',
      schema: z.object({ id: z.number(), name: z.string() }),
    });
    await expect(repo.findOne({ id: 1 }, null as never)).rejects.toMatchObject({ status: 400 });
    await expect(repo.update(1, { name: 'a' }, null as never)).rejects.toMatchObject({
      status: 400,
    });
    await expect(repo.delete(1, null as never)).rejects.toMatchObject({ status: 400 });
  });

  it('rejects a missing config object and a non-string property name', () => {
    expect(() => databaseOptionsFromConfig(null as never)).toThrow(
      expect.objectContaining({ code: 'DB_CONFIG_INVALID' }),
    );
    expect(() => toSnakeCase(5 as never)).toThrow(expect.objectContaining({ status: 500 }));
  });
});
