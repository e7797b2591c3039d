/**
 * The fragments that move to their owning packages (issue 12.5: crypto,
 * database, logging, telemetry). Delete this file together with
 * src/fragments/{crypto,database,logging,telemetry}.ts.
 */
import {
  cryptoFragment,
  databaseFragment,
  LOG_LEVELS,
  loadConfig,
  loggingFragment,
  telemetryFragment,
} from '@plinth/config';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { configError } from './helpers.js';

const KEY = Buffer.alloc(32, 1).toString('base64');
const schema = z.object({
  ...cryptoFragment,
  ...databaseFragment,
  ...loggingFragment,
  ...telemetryFragment,
});
const load = (env: Record<string, string>, environment: 'development' | 'production') =>
  loadConfig({ schema, env, environment, files: false });

describe('fragments moving to their packages', () => {
  it('load their defaults in development', async () => {
    const config = await load({}, 'development');
    expect(config).toMatchObject({
      DATABASE_POOL_MAX: 10,
      LOG_LEVEL: 'info',
      LOG_PRETTY: true,
      TELEMETRY_SAMPLE_RATIO: 1,
    });
    expect(LOG_LEVELS).toContain(config.LOG_LEVEL);
  });

  it('refuse the crypto development keys in production', async () => {
    const dev = await load({}, 'development');
    const error = await configError(
      load(
        {
          ENCRYPTION_KEYS: dev.ENCRYPTION_KEYS.reveal(),
          BLIND_INDEX_KEY: ` ${dev.BLIND_INDEX_KEY.reveal()}`,
        },
        'production',
      ),
    );
    expect(error.issues.map((i) => `${i.key}: ${i.reason}`)).toEqual([
      'BLIND_INDEX_KEY: is set to its development default, which is refused in production',
      'ENCRYPTION_KEYS: is set to its development default, which is refused in production',
    ]);
  });

  it('report each bad keyring entry by number, never its value', async () => {
    const error = await configError(
      load(
        { ENCRYPTION_KEYS: `a:${KEY},b c:${KEY},a:${KEY},d:c2hvcnQ=`, BLIND_INDEX_KEY: 'x' },
        'development',
      ),
    );
    expect(error.issues.map((i) => `${i.key}: ${i.reason}`)).toEqual([
      'BLIND_INDEX_KEY: must be a base64-encoded 32-byte key',
      'ENCRYPTION_KEYS: entry 2 must be <id>:<base64 key> with id [A-Za-z0-9_-]{1,32}',
      'ENCRYPTION_KEYS: entry 3 repeats a key id',
      'ENCRYPTION_KEYS: entry 4 must hold a base64-encoded 32-byte key',
    ]);
    expect(error.message).not.toContain(KEY);
  });
});
