import { loadConfig } from '@plinth/config';
import { createDatabase } from '@plinth/db-repository';
import { databaseFragment, databaseOptionsFromConfig } from '@plinth/db-repository/config';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';

const schema = z.object({ ...databaseFragment });
const load = (env: Record<string, string>) =>
  loadConfig({ schema, files: false, env: { NODE_ENV: 'test', ...env } });

describe('@plinth/db-repository/config', () => {
  it('maps a loaded databaseFragment to createDatabase options, revealing the secrets', async () => {
    const config = await load({
      DATABASE_URL: 'postgres://app:s3cret-pw@db.internal:5432/app',
      DATABASE_POOL_MAX: '4',
      DATABASE_STATEMENT_TIMEOUT: '2s',
      DATABASE_CURSOR_KEY: 'k'.repeat(32),
    });
    expect(databaseOptionsFromConfig(config)).toEqual({
      connectionString: 'postgres://app:s3cret-pw@db.internal:5432/app',
      pool: { max: 4, idleTimeoutMs: 10_000, connectionTimeoutMs: 5_000 },
      statementTimeoutMs: 2_000,
      idleInTransactionTimeoutMs: 60_000,
      cursorKey: 'k'.repeat(32),
    });
  });

  it('yields options createDatabase accepts', async () => {
    const config = await load({ DATABASE_URL: 'postgres://app@127.0.0.1:1/app' });
    const db = createDatabase(databaseOptionsFromConfig(config));
    await db.close();
  });

  it('rejects a cursor key shorter than 32 characters without printing it', async () => {
    await expect(load({ DATABASE_CURSOR_KEY: 'short-key-value' })).rejects.toSatisfy(
      (err: Error) =>
        err.message.includes('DATABASE_CURSOR_KEY') && !err.message.includes('short-key-value'),
    );
  });

  it('lets explicit options override the config, pool keys merged', () => {
    const options = databaseOptionsFromConfig(
      { DATABASE_URL: 'postgres://localhost/db', DATABASE_POOL_MAX: 10, DATABASE_IDLE_TIMEOUT: 5 },
      { applicationName: 'svc', pool: { max: 2 } },
    );
    expect(options).toMatchObject({ applicationName: 'svc', pool: { max: 2, idleTimeoutMs: 5 } });
  });

  it('throws a 500 DATABASE_URL_MISSING naming the key when no URL is configured', () => {
    expect(() => databaseOptionsFromConfig({ DATABASE_POOL_MAX: 3 })).toThrow(
      expect.objectContaining({
        code: 'DATABASE_URL_MISSING',
        status: 500,
        issues: [expect.objectContaining({ path: 'DATABASE_URL' })],
      }),
    );
  });

  it('throws a 500 INVALID_OPTIONS, not a TypeError, when the config is not an object', () => {
    expect(() => databaseOptionsFromConfig(null as never)).toThrow(
      expect.objectContaining({ code: 'INVALID_OPTIONS', status: 500 }),
    );
    expect(() => databaseOptionsFromConfig(undefined as never)).toThrow(/config must be/);
  });

  it('reports options that are not an object at path options, like every package', () => {
    const config = { DATABASE_URL: 'postgres://app@db/app' };
    for (const extra of [null, 'x', [], () => ({})]) {
      expect(() => databaseOptionsFromConfig(config, extra as never)).toThrow(
        expect.objectContaining({
          code: 'INVALID_OPTIONS',
          message: 'databaseOptionsFromConfig: options must be an object',
          issues: [{ path: 'options', message: 'must be an object', code: 'invalid_option' }],
        }),
      );
    }
    expect(databaseOptionsFromConfig(config, undefined).connectionString).toBe(
      'postgres://app@db/app',
    );
  });
});
