import type { OptionsError } from '@plinth/errors';
import { describe, expect, it } from 'vitest';
import {
  createLoginThrottle,
  LOGIN_THROTTLE_DEFAULTS,
  type LoginThrottleOptions,
  type RateLimitRedisLike,
} from '../../src/index.js';

const issuesOf = (options: unknown) => {
  try {
    createLoginThrottle(options as LoginThrottleOptions);
  } catch (err) {
    expect(err).toMatchObject({ code: 'INVALID_OPTIONS', status: 500 });
    return (err as OptionsError).issues.map((i) => i.path);
  }
  return [];
};

const fakeRedis = (): RateLimitRedisLike => ({
  status: 'ready',
  defineCommand: () => undefined,
  ping: async () => 'PONG',
});

describe('login throttle options', () => {
  it('documents its defaults in one frozen object', () => {
    expect(LOGIN_THROTTLE_DEFAULTS).toEqual({
      maxConsecutiveFailures: 5,
      failureWindowSeconds: 86_400,
      lockoutSeconds: 60,
      maxLockoutSeconds: 3600,
      maxFailuresPerIpPerDay: 100,
      ipv6Prefix: 64,
      keyPrefix: 'plinth-login',
      redisTimeoutMs: 200,
    });
    expect(Object.isFrozen(LOGIN_THROTTLE_DEFAULTS)).toBe(true);
  });

  it('accepts no options, explicit undefineds and a Redis client with a hash key', () => {
    expect(issuesOf(undefined)).toEqual([]);
    expect(issuesOf({ lockoutSeconds: undefined, redis: undefined })).toEqual([]);
    expect(issuesOf({ redis: fakeRedis(), hashKey: 'k'.repeat(32) })).toEqual([]);
  });

  it.each<[string, LoginThrottleOptions | Record<string, unknown>, string[]]>([
    ['a zero failure count', { maxConsecutiveFailures: 0 }, ['maxConsecutiveFailures']],
    ['a fractional window', { failureWindowSeconds: 1.5 }, ['failureWindowSeconds']],
    [
      'a window past the timer limit',
      { failureWindowSeconds: 2_147_484 },
      ['failureWindowSeconds'],
    ],
    ['a negative lockout', { lockoutSeconds: -1 }, ['lockoutSeconds']],
    [
      'a maximum below the first lockout',
      { lockoutSeconds: 600, maxLockoutSeconds: 60 },
      ['maxLockoutSeconds'],
    ],
    ['a string cap', { maxFailuresPerIpPerDay: '100' }, ['maxFailuresPerIpPerDay']],
    ['a prefix length under 32', { ipv6Prefix: 31 }, ['ipv6Prefix']],
    ['a prefix length past 128', { ipv6Prefix: 129 }, ['ipv6Prefix']],
    ['a zero timeout', { redisTimeoutMs: 0 }, ['redisTimeoutMs']],
    ['a timeout past 10 s', { redisTimeoutMs: 10_001 }, ['redisTimeoutMs']],
    ['a key prefix with spaces', { keyPrefix: 'my login' }, ['keyPrefix']],
    ['an empty key prefix', { keyPrefix: '' }, ['keyPrefix']],
    ['a short hash key', { hashKey: 'short' }, ['hashKey']],
    ['a short byte hash key', { hashKey: new Uint8Array(16) }, ['hashKey']],
    ['a numeric hash key', { hashKey: 12345 }, ['hashKey']],
    ['Redis without a hash key', { redis: fakeRedis() }, ['hashKey']],
    [
      'a Redis client that is not ioredis',
      { redis: { get: () => null }, hashKey: 'k'.repeat(32) },
      ['redis'],
    ],
    ['an audit writer without record', { audit: {} }, ['audit']],
    ['a logger without methods', { logger: { log: () => undefined } }, ['logger']],
  ])('refuses %s', (_name, options, paths) => {
    expect(issuesOf(options)).toEqual(paths);
  });

  it('lists every problem at once and never the values', () => {
    const secret = 'too-short-secret';
    let message = '';
    try {
      createLoginThrottle({ maxConsecutiveFailures: -3, hashKey: secret, keyPrefix: '' });
    } catch (err) {
      message = (err as Error).message;
      expect((err as OptionsError).issues.map((i) => i.path)).toEqual([
        'maxConsecutiveFailures',
        'keyPrefix',
        'hashKey',
      ]);
    }
    expect(message).toMatch(/^createLoginThrottle: /);
    expect(message).not.toContain(secret);
    expect(message).not.toContain('-3');
  });
});
