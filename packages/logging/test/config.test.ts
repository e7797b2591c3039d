import { loadConfig } from '@plinth/config';
import { LOG_LEVELS } from '@plinth/logging';
import { loggingFragment } from '@plinth/logging/config';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';

const schema = z.object({ ...loggingFragment });
const load = (env: Record<string, string>) => loadConfig({ schema, env, files: [] });

describe('@plinth/logging/config', () => {
  it('defaults LOG_LEVEL to info and LOG_PRETTY to false outside development', async () => {
    await expect(load({ NODE_ENV: 'production' })).resolves.toMatchObject({
      LOG_LEVEL: 'info',
      LOG_PRETTY: false,
    });
  });

  it('turns LOG_PRETTY on in development', async () => {
    await expect(load({ NODE_ENV: 'development' })).resolves.toMatchObject({ LOG_PRETTY: true });
  });

  it('accepts every level the logger accepts', async () => {
    for (const level of LOG_LEVELS) {
      await expect(load({ NODE_ENV: 'test', LOG_LEVEL: level })).resolves.toMatchObject({
        LOG_LEVEL: level,
      });
    }
  });

  it('rejects an unknown level, naming the key', async () => {
    await expect(load({ NODE_ENV: 'test', LOG_LEVEL: 'verbose' })).rejects.toThrow(/LOG_LEVEL/);
  });
});
