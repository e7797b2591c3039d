// Scenario 4: the shared rate-limit store (a private redis-server) stops and starts under load.
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createClientSpec,
  defectCollector,
  problemDefect,
  readClientSpec,
  tenantWithToken,
} from '../support/api.js';
import { recordFigures } from '../support/figures.js';
import { send } from '../support/http.js';
import { failedBreakdown, runLoad } from '../support/load.js';
import { DATABASE_URL, NEEDS_SERVER, SETTINGS } from '../support/mode.js';
import { type PrivateRedis, startPrivateRedis } from '../support/redis.js';
import { FRAMEWORKS } from '../support/service.js';
import { type Stack, startStack } from '../support/stack.js';
import { waitFor } from '../support/wait.js';

const healthStatus = async (url: string) => {
  const r = await send(url, { path: '/health/ready' }, { timeoutMs: 5_000 });
  return { http: r.status, status: (r.json as { status?: string } | undefined)?.status };
};

/** Keys the service keeps in Redis under its prefix (bounded scan). */
async function keysUnder(redisUrl: string, prefix: string): Promise<number> {
  const client = new Redis(redisUrl, { lazyConnect: true, maxRetriesPerRequest: 1 });
  await client.connect();
  try {
    let cursor = '0';
    let n = 0;
    for (let i = 0; i < 100; i++) {
      const [next, keys] = await client.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
      n += keys.length;
      cursor = next;
      if (cursor === '0') break;
    }
    return n;
  } finally {
    client.disconnect();
  }
}

describe.skipIf(!DATABASE_URL).each(FRAMEWORKS)(
  `4. Redis down and back (%s) ${DATABASE_URL ? '' : NEEDS_SERVER}`,
  (framework) => {
    let redis: PrivateRedis;
    let stack: Stack;
    beforeAll(async () => {
      redis = await startPrivateRedis();
      stack = await startStack(framework, 'redis', { redisUrl: redis.url });
    });
    afterAll(async () => {
      await stack?.dispose();
      await redis?.stop();
    });

    it('falls back to a per-instance limiter with health warn and no 5xx, then shares limits again', async () => {
      const { auth } = await tenantWithToken();
      const run = randomBytes(4).toString('hex');
      const url = stack.service.url;
      const prefix = stack.env.RATE_LIMIT_KEY_PREFIX ?? '';
      const seed = await send(url, createClientSpec(auth, run, -1));
      expect(seed.status).toBe(201);
      const id = (seed.json as { id: string }).id;
      const phase = (label: string) => {
        const defects = defectCollector();
        const limitHeaders = { with: 0, without: 0 };
        return runLoad({
          baseUrl: url,
          concurrency: SETTINGS.steadyConcurrency,
          total: Math.min(SETTINGS.loadRequests, 3_000),
          durationMs: SETTINGS.loadMs,
          timeoutMs: SETTINGS.requestTimeoutMs,
          next: () => readClientSpec(auth, id),
          onResponse: (_i, _s, r) => {
            defects.add(problemDefect(r));
            if (r.headers.ratelimit === undefined) limitHeaders.without++;
            else limitHeaders.with++;
          },
        }).then((result) => ({ label, result, defects: defects.list(), limitHeaders }));
      };

      const before = await phase('up');
      const healthUp = await healthStatus(url);
      const keysBefore = prefix ? await keysUnder(redis.url, prefix) : 0;

      const stoppedAt = performance.now();
      await redis.stop();
      const detectMs = await waitFor(
        'readiness to report warn',
        async () =>
          (await healthStatus(url)).status === 'warn' ? performance.now() - stoppedAt : undefined,
        { timeoutMs: 15_000, intervalMs: 50 },
      ).catch(() => undefined);
      const down = await phase('down');
      const healthDown = await healthStatus(url);

      const startedAt = performance.now();
      await redis.start();
      const recoverMs = await waitFor(
        'readiness to pass again',
        async () =>
          (await healthStatus(url)).status === 'pass' ? performance.now() - startedAt : undefined,
        { timeoutMs: 20_000, intervalMs: 100 },
      ).catch(() => undefined);
      const back = await phase('back');
      const healthBack = await healthStatus(url);
      // The restarted Redis is empty: keys under the prefix again mean limiting is shared again.
      const keysAfter = prefix ? await keysUnder(redis.url, prefix) : 0;

      for (const p of [before, down, back])
        recordFigures({
          scenario: `4. Redis ${p.label}`,
          framework,
          sent: p.result.sent,
          succeeded: p.result.succeeded,
          failed: failedBreakdown(p.result),
          p99Ms: p.result.p99,
          ...(p.label === 'down' ? { detectMs } : {}),
          ...(p.label === 'back' ? { recoverMs } : {}),
          note: `RateLimit header on ${p.limitHeaders.with}/${p.result.sent}; readiness ${JSON.stringify(p.label === 'up' ? healthUp : p.label === 'down' ? healthDown : healthBack)}`,
        });

      // Soft: one run reports every broken promise of the scenario, not only the first.
      expect.soft(healthUp).toEqual({ http: 200, status: 'pass' });
      expect.soft(keysBefore, 'keys in the shared store before the outage').toBeGreaterThan(0);
      expect.soft(detectMs, 'readiness reported warn').toBeDefined();
      expect.soft(healthDown).toEqual({ http: 200, status: 'warn' });
      for (const p of [before, down, back]) {
        expect.soft(p.result.failed, p.label).toEqual({});
        expect.soft(p.defects, p.label).toEqual({});
        expect.soft(p.limitHeaders.without, `${p.label}: responses without RateLimit`).toBe(0);
      }
      expect.soft(recoverMs, 'readiness back to pass').toBeDefined();
      expect.soft(keysAfter, 'keys in the shared store after the restart').toBeGreaterThan(0);
    });
  },
);
