import { createRequestContext } from '@plinth/context';
import { isAppError } from '@plinth/errors';
import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createRateLimit, defineRoute } from '../../src/index.js';
import { resolveRateLimitOptions } from '../../src/rate-limit/options.js';
import { type LimitedState, routeLimit } from '../../src/rate-limit/rate-limit.js';
import { captureLogger } from '../support/apps.js';

const fakeRedis = { status: 'ready', defineCommand: () => undefined, ping: async () => 'PONG' };

describe('createRateLimit options', () => {
  it('defaults to 100 requests a minute in memory, system routes exempt', () => {
    const o = resolveRateLimitOptions();
    expect(o.policies.get('default')).toEqual({ points: 100, durationSeconds: 60 });
    expect([
      o.enabled,
      o.redis,
      o.keyPrefix,
      o.redisTimeoutMs,
      o.limitSystemRoutes,
      o.ipv6Prefix,
    ]).toEqual([true, undefined, 'plinth-rl', 200, false, 64]);
    expect(createRateLimit().mode()).toBe('memory');
  });

  it('lists every problem in one INVALID_OPTIONS error', () => {
    const err = (() => {
      try {
        createRateLimit({
          points: 0,
          durationSeconds: 1.5,
          policies: {
            default: { points: 1, durationSeconds: 1 },
            'bad name': { points: -1, durationSeconds: 0 },
          },
          redis: {} as never,
          keyPrefix: 'has space',
          redisTimeoutMs: 0,
          ipv6Prefix: 16,
          logger: {} as never,
          enabled: 'yes' as never,
          limitSystemRoutes: 1 as never,
        });
      } catch (e) {
        return e;
      }
    })();
    expect(isAppError(err) && err.code).toBe('INVALID_OPTIONS');
    expect((err as { issues: { path: string }[] }).issues.map((i) => i.path)).toEqual([
      'points',
      'durationSeconds',
      'policies.default',
      'policies.bad name',
      'policies.bad name.points',
      'policies.bad name.durationSeconds',
      'redis',
      'keyPrefix',
      'redisTimeoutMs',
      'ipv6Prefix',
      'logger',
      'enabled',
      'limitSystemRoutes',
    ]);
  });

  it('refuses a policy that is not an object', () => {
    expect(() => createRateLimit({ policies: { login: null as never } })).toThrow(
      /policies\.login\.points/,
    );
  });

  it('accepts an ioredis-shaped client and starts in shared mode', () => {
    expect(createRateLimit({ redis: fakeRedis }).mode()).toBe('shared');
  });

  it('binds no route when disabled, and always passes its health check', async () => {
    const rateLimit = createRateLimit({ enabled: false });
    const route = defineRoute({ method: 'GET', path: '/x', handler: () => undefined });
    expect(rateLimit.enabled).toBe(false);
    expect(rateLimit.bindRoutes([route], [], captureLogger().logger)).toBeUndefined();
    expect(await rateLimit.healthCheck().check(new AbortController().signal)).toBeUndefined();
  });

  it('binds nothing when every route is exempt', () => {
    const route = defineRoute({
      method: 'GET',
      path: '/x',
      policy: { rateLimit: false },
      handler: () => undefined,
    });
    expect(createRateLimit().bindRoutes([route], [], captureLogger().logger)).toBeUndefined();
  });

  it('runs the handler once the request is counted, and never over quota', async () => {
    let answer: Promise<RateLimiterRes> = Promise.resolve(new RateLimiterRes(4, 30_000, 1, true));
    const limit = routeLimit(
      'default',
      5,
      60,
      () => answer,
      64,
      () => undefined,
    );
    const state: LimitedState = { context: createRequestContext({ ip: '203.0.113.9' }) };
    const next = vi.fn(() => 'handled');
    await expect(limit.admit(state, next)).resolves.toBe('handled');
    expect(state.rateLimitHeaders).toEqual({
      'ratelimit-policy': '"default";q=5;w=60',
      ratelimit: '"default";r=4;t=30',
    });
    answer = Promise.reject(new RateLimiterRes(0, 12_500, 6, false));
    const refused = await limit.admit(state, next).catch((e: unknown) => e);
    expect(refused).toMatchObject({ status: 429, code: 'RATE_LIMITED' });
    expect(next).toHaveBeenCalledTimes(1);
  });

  it('serves a request unlimited, and says so once, when a store fails without an answer', async () => {
    let told = 0;
    const broken = routeLimit(
      'default',
      1,
      1,
      () => Promise.reject(new Error('down')),
      64,
      () => {
        told++;
      },
    );
    const state = { context: createRequestContext({ ip: '203.0.113.9' }) };
    await expect(broken.admit(state, () => 'served')).resolves.toBe('served');
    await expect(broken.refuse(new Error('first'), { ...state })).resolves.toMatchObject({
      message: 'first',
    });
    expect([told, 'rateLimitHeaders' in state]).toEqual([2, false]);
  });

  describe('with a store that fails without an answer', () => {
    afterEach(() => vi.restoreAllMocks());

    it('serves every request and logs one error to the adapter logger', async () => {
      vi.spyOn(RateLimiterMemory.prototype, 'consume').mockRejectedValue(new Error('broken'));
      const log = captureLogger();
      const route = defineRoute({ method: 'GET', path: '/x', handler: () => undefined });
      const limit = createRateLimit().bindRoutes([route], [], log.logger)?.get(route);
      for (let i = 0; i < 3; i++)
        expect(await limit?.admit({ context: createRequestContext({}) }, () => i)).toBe(i);
      expect(log.lines.map((l) => [l.level, l.obj.event])).toEqual([
        ['error', 'rate_limit.store.failed'],
      ]);
    });
  });
});
