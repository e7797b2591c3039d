import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError, type ConfigProvider, fileProvider, loadConfig, secret } from '@plinth/config';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { configError, tempDir } from './helpers.js';

const schema = z.object({
  DB_PASSWORD: secret(),
  API_KEY: secret().optional(),
  REGION: z.string(),
});

function staticProvider(
  name: string,
  values: Record<string, string>,
  seen: string[][] = [],
): ConfigProvider {
  return {
    name,
    async load({ keys }) {
      seen.push(keys.map((k) => k.key));
      return values;
    },
  };
}

describe('providers', () => {
  it('are asked only for keys the real environment leaves unset, with key metadata', async () => {
    const requests: unknown[] = [];
    const provider: ConfigProvider = {
      name: 'store',
      async load(request) {
        requests.push(request);
        return { DB_PASSWORD: 'from-store' };
      },
    };
    const config = await loadConfig({
      schema,
      env: { REGION: 'eu' },
      files: false,
      providers: [provider],
    });
    expect(config.DB_PASSWORD.reveal()).toBe('from-store');
    expect(requests).toEqual([
      {
        environment: 'development',
        keys: [
          { key: 'DB_PASSWORD', secret: true, description: undefined },
          { key: 'API_KEY', secret: true, description: undefined },
        ],
      },
    ]);
  });

  it('lose to the real environment, win over .env files, and earlier providers win', async () => {
    const cwd = tempDir({ '.env': 'DB_PASSWORD=from-file\nAPI_KEY=from-file\nREGION=file\n' });
    const seen: string[][] = [];
    const config = await loadConfig({
      schema,
      env: { REGION: 'env' },
      cwd,
      providers: [
        staticProvider('first', { DB_PASSWORD: 'first' }, seen),
        staticProvider('second', { DB_PASSWORD: 'second', API_KEY: 'second' }, seen),
      ],
    });
    expect([config.DB_PASSWORD.reveal(), config.API_KEY?.reveal(), config.REGION]).toEqual([
      'first',
      'second',
      'env',
    ]);
    expect(seen).toEqual([['DB_PASSWORD', 'API_KEY'], ['API_KEY']]);
  });

  it('turn a rejection into a provider_failed issue, reported with the other problems', async () => {
    const failing: ConfigProvider = {
      name: 'vault',
      load: () =>
        Promise.reject(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' })),
    };
    const error = await loadConfig({ schema, env: {}, files: false, providers: [failing] }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).message).toBe(
      [
        'Invalid configuration (3 problems):',
        '  DB_PASSWORD: required',
        '  provider:vault: failed: ECONNREFUSED',
        '  REGION: required',
      ].join('\n'),
    );
    expect((error as ConfigError).cause).toBeInstanceOf(Error);
  });

  it('refuse non-string values', async () => {
    const bad = { name: 'bad', load: async () => ({ REGION: 42 as unknown as string }) };
    const error = await configError(
      loadConfig({
        schema,
        env: { DB_PASSWORD: 'x' },
        files: false,
        providers: [bad],
      }),
    );
    expect(error.message).toContain('REGION: provider:bad returned a non-string value');
  });
});

describe('fileProvider', () => {
  it('reads one file per key, trims trailing newlines, and skips missing files', async () => {
    const directory = tempDir({ db_password: 'pw-from-mount\n' });
    const config = await loadConfig({
      schema,
      env: { REGION: 'eu' },
      files: false,
      providers: [fileProvider({ directory, fileName: (key) => key.toLowerCase() })],
    });
    expect(config.DB_PASSWORD.reveal()).toBe('pw-from-mount');
    expect(config.API_KEY).toBeUndefined();
  });

  it('fails naming the key and path (not the content) when a file cannot be read', async () => {
    const directory = tempDir();
    mkdirSync(join(directory, 'DB_PASSWORD'));
    const error = await configError(
      loadConfig({
        schema,
        env: { REGION: 'eu' },
        files: false,
        providers: [fileProvider({ directory })],
      }),
    );
    expect(error.message).toContain(
      `provider:files: failed: cannot read ${join(directory, 'DB_PASSWORD')} for DB_PASSWORD (EISDIR)`,
    );
  });

  it('only looks up the keys include() selects', async () => {
    const directory = tempDir({ DB_PASSWORD: 'pw', API_KEY: 'key' });
    const config = await loadConfig({
      schema,
      env: { REGION: 'eu' },
      files: false,
      providers: [fileProvider({ directory, include: (k) => k.key === 'DB_PASSWORD' })],
    });
    expect(config.API_KEY).toBeUndefined();
  });
});
