import { databaseFragment, loadConfig } from '@plinth/config';
import { databaseOptionsFromConfig } from '@plinth/db-repository';
import { isAppError } from '@plinth/errors';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';

const schema = z.object({ ...databaseFragment });

describe('databaseOptionsFromConfig', () => {
  it('maps a loaded databaseFragment to createDatabase options, revealing the secret URL', async () => {
    const config = await loadConfig({
      schema,
      files: false,
      env: {
        NODE_ENV: 'test',
        DATABASE_URL: 'postgres://app:s3cret-pw@db.internal:5432/app',
        DATABASE_POOL_MAX: '4',
        DATABASE_STATEMENT_TIMEOUT: '2s',
      },
    });
    expect(databaseOptionsFromConfig(config)).toEqual({
      connectionString: 'postgres://app:s3cret-pw@db.internal:5432/app',
      pool: { max: 4, idleTimeoutMs: 10_000, connectionTimeoutMs: 5_000 },
      statementTimeoutMs: 2_000,
      idleInTransactionTimeoutMs: 60_000,
    });
  });

  it('lets explicit options override the config, pool keys merged', () => {
    const options = databaseOptionsFromConfig(
      { DATABASE_URL: 'postgres://localhost/db', DATABASE_POOL_MAX: 10 },
      { applicationName: 'svc', pool: { max: 2 } },
    );
    expect(options).toMatchObject({ applicationName: 'svc', pool: { max: 2 } });
  });

  it('throws DATABASE_URL_MISSING naming the key when no URL is configured', () => {
    let thrown: unknown;
    try {
      databaseOptionsFromConfig({ DATABASE_POOL_MAX: 3 });
    } catch (error) {
      thrown = error;
    }
    expect(isAppError(thrown) && thrown.code).toBe('DATABASE_URL_MISSING');
    expect((thrown as Error).message).toContain('DATABASE_URL');
  });
});
