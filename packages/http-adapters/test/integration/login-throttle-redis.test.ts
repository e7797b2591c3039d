import { createHealth } from '@plinth/health';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createLoginThrottle,
  LOGIN_FAILED,
  LOGIN_LOCKED,
  type LoginIdentity,
  type LoginThrottle,
  type LoginThrottleOptions,
} from '../../src/index.js';
import { captureLogger } from '../support/apps.js';
import { freePort, RedisServer, whenReady } from './redis-server.js';

const HASH_KEY = 'one-key-shared-by-every-instance-of-the-service';
const IP = '203.0.113.7';

let server: RedisServer;

const gone = (client: Redis) =>
  client.status === 'ready'
    ? new Promise<void>((resolve) => client.once('close', () => resolve()))
    : Promise.resolve();

/** Resolves once `client` gets no PONG within 50 ms: the server is inside DEBUG SLEEP (20 tries at most). */
async function asleep(client: Redis) {
  for (let i = 0; i < 20; i++) {
    const answered = await Promise.race([
      client.ping().then(() => true),
      new Promise<false>((r) => setTimeout(() => r(false), 50)),
    ]);
    if (!answered) return;
  }
  throw new Error('redis-server never went to sleep');
}

beforeAll(async () => {
  server = new RedisServer(await freePort());
  await server.start();
});

afterAll(async () => {
  await server.dispose();
});

/**
 * Two instances of a service (each with its own client) sharing one Redis and `keyPrefix`.
 * The Redis deadline is generous: these tests are about sharing, and on a loaded machine
 * the default 200 ms would send an instance to its per-instance fallback now and then
 * (the tests of the fallback set their own).
 */
async function twoInstances(keyPrefix: string, extra: LoginThrottleOptions = {}) {
  const instances: {
    throttle: LoginThrottle;
    log: ReturnType<typeof captureLogger>;
    redis: Redis;
  }[] = [];
  for (let i = 0; i < 2; i++) {
    const redis = server.connect();
    await whenReady(redis);
    const log = captureLogger();
    const throttle = createLoginThrottle({
      redis,
      hashKey: HASH_KEY,
      keyPrefix,
      logger: log.logger,
      redisTimeoutMs: 5_000,
      ...extra,
    });
    instances.push({ throttle, log, redis });
  }
  return instances as [(typeof instances)[0], (typeof instances)[0]];
}

async function outcome(throttle: LoginThrottle, identity: LoginIdentity, correct: boolean) {
  try {
    await throttle.attempt(identity, async () => correct && { id: 'user-1' });
    return 'ok';
  } catch (err) {
    const e = err as { status: number; code: string; retryAfterSeconds?: number };
    return `${e.status} ${e.code}${e.retryAfterSeconds ? ` ${e.retryAfterSeconds}` : ''}`;
  }
}

const who = (account: string): LoginIdentity => ({ tenantId: 't1', account, ip: IP });

const healthOf = async (throttle: LoginThrottle) => {
  const health = createHealth({ checks: { loginThrottle: throttle.healthCheck() } });
  return ((await health.ready()).body as { status: string }).status;
};

/** Poll (bounded) until the lockout of `identity` ends; real Redis keys expire in real time. */
async function waitUnlocked(throttle: LoginThrottle, identity: LoginIdentity) {
  for (let i = 0; i < 100; i++) {
    if (!(await outcome(throttle, identity, false)).startsWith('429')) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error('the lockout did not end');
}

describe('login throttle on Redis', () => {
  it('enforces one lockout across two instances sharing Redis', async () => {
    const [a, b] = await twoInstances('shared');
    for (let i = 0; i < 3; i++)
      expect(await outcome(a.throttle, who('alice'), false)).toBe(`401 ${LOGIN_FAILED}`);
    for (let i = 0; i < 2; i++)
      expect(await outcome(b.throttle, who('alice'), false)).toBe(`401 ${LOGIN_FAILED}`);
    expect(await outcome(a.throttle, who('alice'), true)).toBe(`429 ${LOGIN_LOCKED} 60`);
    expect(await outcome(b.throttle, who('alice'), true)).toBe(`429 ${LOGIN_LOCKED} 60`);
    expect(a.log.lines).toEqual([]);
  });

  it('lets a success on one instance reset the count for the other', async () => {
    const [a, b] = await twoInstances('reset');
    for (let i = 0; i < 4; i++) await outcome(a.throttle, who('bob'), false);
    expect(await outcome(b.throttle, who('bob'), true)).toBe('ok');
    for (let i = 0; i < 4; i++) await outcome(a.throttle, who('bob'), false);
    expect(await outcome(b.throttle, who('bob'), true)).toBe('ok');
  });

  it('shares the per-address daily cap', async () => {
    const [a, b] = await twoInstances('ipcap', { maxFailuresPerIpPerDay: 3 });
    await outcome(a.throttle, who('u1'), false);
    await outcome(b.throttle, who('u2'), false);
    await outcome(a.throttle, who('u3'), false);
    expect(await outcome(b.throttle, who('u4'), true)).toBe(`429 ${LOGIN_LOCKED} 86400`);
  });

  it('doubles the lockout across instances', async () => {
    const [a, b] = await twoInstances('doubling', { lockoutSeconds: 2, maxLockoutSeconds: 16 });
    // Real keys expire in real time: a slow machine may have used up to a second of each lockout.
    const retryAfter = async (throttle: LoginThrottle) => {
      const result = await outcome(throttle, who('carol'), false);
      expect(result).toMatch(new RegExp(`^429 ${LOGIN_LOCKED} \\d+$`));
      return Number(result.split(' ')[2]);
    };
    for (let i = 0; i < 5; i++) await outcome(a.throttle, who('carol'), false);
    const first = await retryAfter(b.throttle);
    expect(first).toBeGreaterThanOrEqual(1);
    expect(first).toBeLessThanOrEqual(2);
    await waitUnlocked(b.throttle, who('carol'));
    // waitUnlocked's last probe was failure 1 of the next round.
    for (let i = 0; i < 4; i++) await outcome(b.throttle, who('carol'), false);
    const second = await retryAfter(a.throttle);
    expect(second).toBeGreaterThanOrEqual(3);
    expect(second).toBeLessThanOrEqual(4);
    // Neither instance fell back to counting alone.
    expect([...a.log.lines, ...b.log.lines]).toEqual([]);
  });

  it('keeps the account and the address out of every key and value', async () => {
    const [a] = await twoInstances('privacy');
    for (let i = 0; i < 5; i++) await outcome(a.throttle, who('Dora@Example.com'), false);
    const admin = server.connect();
    await whenReady(admin);
    const keys = await admin.keys('privacy:*');
    expect(keys.length).toBeGreaterThanOrEqual(3);
    const values = await Promise.all(keys.map((k) => admin.get(k)));
    expect(`${keys.join(' ')} ${values.join(' ')}`).not.toMatch(/dora|example|203\.0\.113|t1/i);
  });

  it('answers from the fallback when Redis is slow, instead of hanging', async () => {
    const [a] = await twoInstances('slow', { redisTimeoutMs: 100 });
    const [admin, probe] = [server.connect(), server.connect()];
    await Promise.all([whenReady(admin), whenReady(probe)]);
    const sleeping = admin.call('DEBUG', 'SLEEP', '2');
    await asleep(probe);
    expect(await outcome(a.throttle, who('erin'), false)).toBe(`401 ${LOGIN_FAILED}`);
    expect(a.log.lines.map((l) => l.obj)).toEqual([
      { event: 'login_throttle.store.fallback', store: 'redis', errorCode: 'StoreTimeoutError' },
    ]);
    await sleeping;
  });

  it('counts per instance while Redis is down and shares again once it is back', async () => {
    const [a, b] = await twoInstances('outage');
    for (let i = 0; i < 2; i++) await outcome(a.throttle, who('frank'), false);

    const down = Promise.all([gone(a.redis), gone(b.redis)]);
    await server.stop();
    await down;
    // No 500: each instance counts on its own.
    for (let i = 0; i < 5; i++)
      expect(await outcome(a.throttle, who('frank'), false)).toBe(`401 ${LOGIN_FAILED}`);
    expect(await outcome(a.throttle, who('frank'), true)).toBe(`429 ${LOGIN_LOCKED} 60`);
    expect(await outcome(b.throttle, who('frank'), true)).toBe('ok');
    expect(await healthOf(a.throttle)).toBe('warn');
    expect(a.log.lines.filter((l) => l.level === 'warn')).toHaveLength(1);

    await server.start();
    await Promise.all([whenReady(a.redis), whenReady(b.redis)]);
    expect(await healthOf(a.throttle)).toBe('pass');
    expect(a.log.lines.map((l) => l.obj.event)).toEqual([
      'login_throttle.store.fallback',
      'login_throttle.store.recovered',
    ]);
    for (let i = 0; i < 3; i++) await outcome(a.throttle, who('grace'), false);
    for (let i = 0; i < 2; i++) await outcome(b.throttle, who('grace'), false);
    expect(await outcome(a.throttle, who('grace'), true)).toBe(`429 ${LOGIN_LOCKED} 60`);
    expect(await outcome(b.throttle, who('grace'), true)).toBe(`429 ${LOGIN_LOCKED} 60`);
  });
});
