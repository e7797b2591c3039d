import { type AppError, isAppError } from '@plinth/errors';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  createLoginThrottle,
  LOGIN_FAILED,
  LOGIN_LOCKED,
  type LoginThrottle,
  type RateLimitRedisLike,
} from '../../src/index.js';
import { captureLogger } from '../support/apps.js';

const IDENTITY = { account: 'alice@example.com', ip: '203.0.113.7' };
const HASH_KEY = 'k'.repeat(32);

type Mode = 'ok' | 'fail' | 'hang';

/**
 * Just enough of ioredis for rate-limiter-flexible's Redis limiter: the
 * `rlflxIncr` script, `multi().get().pttl()`, `multi().set(..., 'EX').pttl()`
 * and `del`, over a Map. `mode` makes every command fail or never answer.
 */
function fakeRedis(initial: Mode = 'ok') {
  const data = new Map<string, { value: number; expiresAt: number }>();
  const calls: string[] = [];
  const state = { mode: initial, status: 'ready' };
  const answer = <T>(value: () => T): Promise<T> => {
    if (state.mode === 'fail')
      return Promise.reject(
        Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }),
      );
    if (state.mode === 'hang') return new Promise(() => {});
    return Promise.resolve(value());
  };
  const live = (key: string) => {
    const entry = data.get(key);
    if (entry && entry.expiresAt <= Date.now()) data.delete(key);
    return data.get(key);
  };
  const ttl = (key: string) => {
    const entry = live(key);
    return entry ? entry.expiresAt - Date.now() : -2;
  };
  const client = {
    get status() {
      return state.status;
    },
    defineCommand: () => undefined,
    ping: () => answer(() => 'PONG'),
    rlflxIncr(args: string[]) {
      calls.push('incr');
      const [key, points, seconds] = args as [string, string, string];
      return answer(() => {
        const entry = live(key) ?? { value: 0, expiresAt: Date.now() + Number(seconds) * 1000 };
        entry.value += Number(points);
        data.set(key, entry);
        return [entry.value, ttl(key)];
      });
    },
    multi() {
      const ops: (() => unknown)[] = [];
      const chain = {
        get(key: string) {
          ops.push(() => [null, live(key) ? String(live(key)?.value) : null]);
          return chain;
        },
        set(key: string, value: number, _ex: string, seconds: number) {
          ops.push(() => {
            data.set(key, { value, expiresAt: Date.now() + seconds * 1000 });
            return [null, 'OK'];
          });
          return chain;
        },
        pttl(key: string) {
          ops.push(() => [null, ttl(key)]);
          return chain;
        },
        exec(flat?: boolean) {
          calls.push('multi');
          return answer(() => {
            const results = ops.map((op) => op()) as [null, unknown][];
            return flat ? results.map(([, v]) => v) : results;
          });
        },
      };
      return chain;
    },
    del(key: string) {
      calls.push('del');
      return answer(() => (data.delete(key) ? 1 : 0));
    },
  };
  return { client: client as RateLimitRedisLike, state, calls, data };
}

async function outcome(throttle: LoginThrottle, correct: boolean): Promise<string> {
  try {
    await throttle.attempt(IDENTITY, () => correct && { id: 'u1' });
    return 'ok';
  } catch (err) {
    if (!isAppError(err)) throw err;
    const retry = (err as AppError & { retryAfterSeconds?: number }).retryAfterSeconds;
    return `${err.status} ${err.code}${retry ? ` ${retry}` : ''}`;
  }
}

const setup = (mode: Mode = 'ok') => {
  const redis = fakeRedis(mode);
  const log = captureLogger();
  const throttle = createLoginThrottle({
    redis: redis.client,
    hashKey: HASH_KEY,
    logger: log.logger,
    redisTimeoutMs: 100,
  });
  return { ...redis, log, throttle };
};

const health = (throttle: LoginThrottle) =>
  throttle.healthCheck().check(new AbortController().signal);

beforeEach(() => {
  vi.useFakeTimers({ now: new Date('2026-12-01T08:00:00Z') });
});
afterEach(() => {
  vi.useRealTimers();
});

describe('login throttle store', () => {
  it('counts in Redis while it answers, under hashed keys', async () => {
    const { throttle, data, log } = setup();
    for (let i = 0; i < 5; i++) expect(await outcome(throttle, false)).toBe(`401 ${LOGIN_FAILED}`);
    expect(await outcome(throttle, true)).toBe(`429 ${LOGIN_LOCKED} 60`);
    const keys = [...data.keys()];
    expect(keys.some((k) => k.startsWith('plinth-login:fail:'))).toBe(true);
    expect(keys.join(' ')).not.toMatch(/alice|203\.0/);
    expect(log.lines).toEqual([]);
    await expect(health(throttle)).resolves.toBeUndefined();
  });

  it('falls back to per-instance counting when every command fails, and warns once', async () => {
    const { throttle, log } = setup('fail');
    for (let i = 0; i < 5; i++) expect(await outcome(throttle, false)).toBe(`401 ${LOGIN_FAILED}`);
    expect(await outcome(throttle, true)).toBe(`429 ${LOGIN_LOCKED} 60`);
    expect(log.lines).toEqual([
      {
        level: 'warn',
        obj: { event: 'login_throttle.store.fallback', store: 'redis', errorCode: 'ECONNREFUSED' },
        msg: 'Login throttle counts per instance: Redis is unavailable or slow',
      },
    ]);
    await expect(health(throttle)).resolves.toEqual({
      status: 'warn',
      output: 'Redis unavailable: login throttling is per instance',
    });
  });

  it('gives up on a Redis that never answers after redisTimeoutMs', async () => {
    const { throttle, log } = setup('hang');
    const result = outcome(throttle, true);
    await vi.advanceTimersByTimeAsync(100);
    await vi.advanceTimersByTimeAsync(100);
    expect(await result).toBe('ok');
    expect(log.lines[0]?.obj).toMatchObject({ errorCode: 'StoreTimeoutError' });
  });

  it('skips a client that is reconnecting without sending it anything', async () => {
    const { throttle, state, calls, log } = setup();
    state.status = 'reconnecting';
    expect(await outcome(throttle, false)).toBe(`401 ${LOGIN_FAILED}`);
    expect(calls).toEqual([]);
    expect(log.lines[0]?.obj).toMatchObject({ errorCode: 'NotConnected' });
  });

  it('counts in Redis again once it answers, and says so', async () => {
    const { throttle, state, log } = setup('fail');
    expect(await outcome(throttle, false)).toBe(`401 ${LOGIN_FAILED}`);
    state.mode = 'ok';
    await expect(health(throttle)).resolves.toBeUndefined();
    expect(log.lines.map((l) => l.obj.event)).toEqual([
      'login_throttle.store.fallback',
      'login_throttle.store.recovered',
    ]);
  });

  it('announces a flapping Redis at most once a minute', async () => {
    const { throttle, state, log } = setup('fail');
    for (let i = 0; i < 3; i++) {
      state.mode = 'fail';
      await outcome(throttle, true);
      state.mode = 'ok';
      await outcome(throttle, true);
    }
    expect(log.lines.map((l) => l.obj.event)).toEqual([
      'login_throttle.store.fallback',
      'login_throttle.store.recovered',
    ]);
    vi.advanceTimersByTime(60_000);
    state.mode = 'fail';
    await outcome(throttle, true);
    expect(log.lines).toHaveLength(3);
  });

  it('keeps the health check at warn while Redis still fails the probe', async () => {
    const { throttle, log } = setup('fail');
    await outcome(throttle, false);
    await expect(health(throttle)).resolves.toMatchObject({ status: 'warn' });
    expect(log.lines).toHaveLength(1);
  });
});
