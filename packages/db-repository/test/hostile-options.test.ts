import { createDatabase, createRepository, escapeLike } from '@plinth/db-repository';
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
});
