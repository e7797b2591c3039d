import { createHealth, redisCheck } from '@plinth/health';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closedPort } from './helpers/closed-port.js';
import { optionPaths } from './helpers/options-error.js';
import { assertHealthBody } from './helpers/schema.js';

describe('redisCheck against a real Redis', () => {
  let redis: Redis;
  let down: Redis;

  beforeAll(async () => {
    redis = new Redis({ host: '127.0.0.1', port: 6379, lazyConnect: true });
    await redis.connect();
    // A stopped server: nothing listens, no retries, no offline queue.
    down = new Redis({
      host: '127.0.0.1',
      port: await closedPort(),
      lazyConnect: true,
      enableOfflineQueue: false,
      retryStrategy: () => null,
      maxRetriesPerRequest: 0,
    });
    down.on('error', () => {});
  });
  afterAll(() => {
    redis.disconnect();
    down.disconnect();
  });

  it('passes when PING answers PONG', async () => {
    const res = await createHealth({ checks: { redis: redisCheck(redis) } }).ready();
    assertHealthBody(res.body);
    expect(res.body.checks?.['redis:responseTime']?.[0]).toMatchObject({
      status: 'pass',
      componentType: 'datastore',
    });
  });

  it('fails when the server is stopped, and only warns when not critical', async () => {
    const res = await createHealth({
      timeoutMs: 2000,
      checks: { redis: redisCheck(down), cache: redisCheck(down, { critical: false }) },
    }).ready();
    assertHealthBody(res.body);
    expect(res.httpStatus).toBe(503);
    expect(res.body.checks?.['redis:responseTime']?.[0]).toMatchObject({ status: 'fail' });
    expect(res.body.checks?.['cache:responseTime']?.[0]).toMatchObject({ status: 'warn' });
    expect(JSON.stringify(res.body)).not.toContain(String(down.options.port));
  });

  it('fails at its deadline when a client queues commands forever', async () => {
    const queued = new Redis({ host: '127.0.0.1', port: await closedPort(), lazyConnect: true });
    queued.on('error', () => {});
    try {
      const res = await createHealth({
        checks: { redis: redisCheck(queued, { timeoutMs: 50 }) },
      }).ready();
      expect(res.body.checks?.['redis:responseTime']?.[0]?.output).toBe('timed out after 50 ms');
    } finally {
      queued.disconnect();
    }
  });

  it('fails when PING answers something else', async () => {
    const res = await createHealth({
      checks: { redis: redisCheck({ ping: async () => 'LOADING' }) },
    }).ready();
    expect(res.body.checks?.['redis:responseTime']?.[0]?.status).toBe('fail');
  });

  it('rejects a client without ping()', () => {
    expect(optionPaths(() => redisCheck({} as never))).toEqual(['client']);
  });
});
