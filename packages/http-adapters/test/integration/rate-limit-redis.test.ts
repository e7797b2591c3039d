import { createHealth } from '@plinth/health';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRateLimit, defineRoute, type RateLimit } from '../../src/index.js';
import { captureLogger, type RunningApp, startApp } from '../support/apps.js';
import { freePort, RedisServer, whenReady } from './redis-server.js';

const hello = defineRoute({ method: 'GET', path: '/hello', handler: () => ({ hello: 'world' }) });

let server: RedisServer;

beforeAll(async () => {
  server = new RedisServer(await freePort());
  await server.start();
});

afterAll(async () => {
  await server.dispose();
});

/** One Express and one Fastify instance, each with its own client, sharing `keyPrefix`. */
async function twoInstances(keyPrefix: string, points: number, redisTimeoutMs = 200) {
  const instances: {
    app: RunningApp;
    rateLimit: RateLimit;
    log: ReturnType<typeof captureLogger>;
    redis: Redis;
  }[] = [];
  for (const framework of ['express', 'fastify'] as const) {
    const redis = server.connect();
    await whenReady(redis);
    const log = captureLogger();
    const rateLimit = createRateLimit({
      redis,
      keyPrefix,
      points,
      durationSeconds: 60,
      redisTimeoutMs,
    });
    const app = await startApp(framework, { routes: [hello], logger: log.logger, rateLimit });
    instances.push({ app, rateLimit, log, redis });
  }
  return {
    instances,
    get: (i: number) => fetch(`${instances[i]?.app.url}/hello`),
    close: () => Promise.all(instances.map((x) => x.app.close())),
  };
}

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

const logged = (log: ReturnType<typeof captureLogger>, event: string) =>
  log.lines.filter((l) => l.obj.event === event).length;

const healthOf = async (rateLimit: RateLimit) => {
  const health = createHealth({ checks: { rateLimit: rateLimit.healthCheck() } });
  return (await health.ready()).body as {
    status: string;
    checks: Record<string, { status: string }[]>;
  };
};

describe('rate limiting shared through Redis', () => {
  it('enforces one limit across two instances', async () => {
    const pair = await twoInstances('it-shared', 4);
    try {
      const statuses: number[] = [];
      const remaining: (string | null)[] = [];
      for (const i of [0, 1, 0, 1, 0, 1]) {
        const res = await pair.get(i);
        statuses.push(res.status);
        remaining.push(res.headers.get('ratelimit'));
      }
      expect(statuses).toEqual([200, 200, 200, 200, 429, 429]);
      expect(remaining.slice(0, 4)).toEqual([
        '"default";r=3;t=60',
        '"default";r=2;t=60',
        '"default";r=1;t=60',
        '"default";r=0;t=60',
      ]);
      expect(pair.instances.map((x) => x.rateLimit.mode())).toEqual(['shared', 'shared']);
      // Only hashes of the client key reach Redis.
      const keys = await pair.instances[0]?.redis.keys('it-shared:*');
      expect(keys).toHaveLength(1);
      expect(keys?.[0]).toMatch(/^it-shared:default:[A-Za-z0-9_-]{32}$/);
    } finally {
      await pair.close();
    }
  });

  it('falls back per instance while Redis is down, says so once, and shares again once it is back', async () => {
    const pair = await twoInstances('it-outage', 3);
    try {
      expect((await pair.get(0)).status).toBe(200);
      await server.stop();

      // Down: every request is answered (never 500) and limited per instance.
      const during = [];
      for (let n = 0; n < 4; n++)
        during.push((await pair.get(0)).status, (await pair.get(1)).status);
      expect(during).toEqual([200, 200, 200, 200, 200, 200, 429, 429]);
      for (const x of pair.instances) {
        expect(x.rateLimit.mode()).toBe('fallback');
        expect(logged(x.log, 'rate_limit.store.fallback')).toBe(1);
        const health = await healthOf(x.rateLimit);
        expect(health.status).toBe('warn');
        expect(health.checks['rateLimit:responseTime']?.[0]?.status).toBe('warn');
      }
      expect(JSON.stringify(pair.instances.map((x) => x.log.lines))).not.toContain('127.0.0.1');

      // Back: the next request per instance goes to Redis again (its counters are fresh).
      await server.start();
      await Promise.all(pair.instances.map((x) => whenReady(x.redis)));
      const after = [];
      for (const i of [0, 1, 0, 1]) after.push((await pair.get(i)).status);
      expect(after).toEqual([200, 200, 200, 429]);
      for (const x of pair.instances) {
        expect(x.rateLimit.mode()).toBe('shared');
        expect(logged(x.log, 'rate_limit.store.recovered')).toBe(1);
        expect((await healthOf(x.rateLimit)).status).toBe('pass');
      }
    } finally {
      await pair.close();
    }
  });

  it('notices from the health check alone that Redis is back', async () => {
    const pair = await twoInstances('it-health', 10);
    try {
      await server.stop();
      expect((await pair.get(0)).status).toBe(200);
      expect((await healthOf(pair.instances[0]!.rateLimit)).status).toBe('warn');
      await server.start();
      await whenReady(pair.instances[0]!.redis);
      expect((await healthOf(pair.instances[0]!.rateLimit)).status).toBe('pass');
      expect(pair.instances[0]?.rateLimit.mode()).toBe('shared');
    } finally {
      await pair.close();
    }
  });

  it('answers from the fallback when Redis is slow instead of waiting for it', async () => {
    const pair = await twoInstances('it-slow', 10, 100);
    const blocker = server.connect();
    try {
      await whenReady(blocker);
      const sleeping = blocker.call('debug', 'sleep', '2');
      await asleep(pair.instances[0]?.redis as Redis);
      const started = performance.now();
      const res = await pair.get(1);
      const elapsed = performance.now() - started;
      expect(res.status).toBe(200);
      expect(res.headers.get('ratelimit')).toBe('"default";r=9;t=60');
      expect(elapsed).toBeLessThan(1500);
      expect(pair.instances[1]?.rateLimit.mode()).toBe('fallback');
      expect((await healthOf(pair.instances[1]!.rateLimit)).status).toBe('warn');
      await sleeping;
    } finally {
      await pair.close();
    }
  });
});
