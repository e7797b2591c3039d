import { loadConfig } from '@plinth/config';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { rateLimitFragment, rateLimitSettings } from '../../src/config.js';

const load = (env: Record<string, string>) =>
  loadConfig({ schema: z.object({ ...rateLimitFragment }), env, files: false });

describe('rateLimitFragment', () => {
  it('limits 100 requests a minute by default', async () => {
    const config = await load({ NODE_ENV: 'test' });
    expect(rateLimitSettings(config)).toEqual({
      enabled: true,
      points: 100,
      durationSeconds: 60,
      keyPrefix: 'plinth-rl',
      redisTimeoutMs: 200,
    });
  });

  it('reads every key', async () => {
    const config = await load({
      NODE_ENV: 'production',
      RATE_LIMIT_ENABLED: 'false',
      RATE_LIMIT_POINTS: '20',
      RATE_LIMIT_DURATION_SECONDS: '10',
      RATE_LIMIT_KEY_PREFIX: 'svc:rl',
      RATE_LIMIT_REDIS_TIMEOUT: '1s',
    });
    expect(rateLimitSettings(config)).toEqual({
      enabled: false,
      points: 20,
      durationSeconds: 10,
      keyPrefix: 'svc:rl',
      redisTimeoutMs: 1000,
    });
  });

  it('lets the service add what configuration cannot hold', async () => {
    const config = await load({ NODE_ENV: 'test' });
    const policies = { login: { points: 5, durationSeconds: 60 } };
    expect(rateLimitSettings(config, { policies, points: 7 })).toMatchObject({
      points: 7,
      policies,
    });
  });

  it.each([
    ['RATE_LIMIT_POINTS', '0'],
    ['RATE_LIMIT_POINTS', 'many'],
    ['RATE_LIMIT_DURATION_SECONDS', '2592001'],
    ['RATE_LIMIT_KEY_PREFIX', 'has space'],
    ['RATE_LIMIT_REDIS_TIMEOUT', '11s'],
    ['RATE_LIMIT_REDIS_TIMEOUT', '200'],
    ['RATE_LIMIT_ENABLED', 'perhaps'],
  ])('refuses %s=%s, naming the variable', async (key, value) => {
    const err = await load({ NODE_ENV: 'test', [key]: value }).catch((e) => e);
    expect(err.issues.map((i: { key: string }) => i.key)).toEqual([key]);
  });
});
