// Scenario 2: the proxy in front of PostgreSQL drops every connection and refuses new ones.
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createClientSpec,
  defectCollector,
  problemDefect,
  tenantWithToken,
} from '../support/api.js';
import { recordFigures } from '../support/figures.js';
import { send } from '../support/http.js';
import { runLoad } from '../support/load.js';
import { DATABASE_URL, NEEDS_SERVER, SETTINGS } from '../support/mode.js';
import { FRAMEWORKS } from '../support/service.js';
import { type Stack, startStack } from '../support/stack.js';
import { waitFor } from '../support/wait.js';

/** The service's readiness settings (clients-core app.ts): check timeout 1 s, no cache. */
const READY_TIMEOUT_MS = 1_000;
const READY_CACHE_MS = 0;
/** Scheduling slack on a loaded 2-core machine. */
const SLACK_MS = 1_500;

describe.skipIf(!DATABASE_URL).each(FRAMEWORKS)(
  `2. database unreachable (%s) ${DATABASE_URL ? '' : NEEDS_SERVER}`,
  (framework) => {
    let stack: Stack;
    beforeAll(async () => {
      stack = await startStack(framework, 'dbdown', {
        extra: { DATABASE_CONNECTION_TIMEOUT: '2s' },
      });
    });
    afterAll(async () => {
      await stack?.dispose();
    });

    it('fails readiness in time, keeps liveness, answers 503 fast, and recovers without a restart', async () => {
      const { auth } = await tenantWithToken();
      const run = randomBytes(4).toString('hex');
      const url = stack.service.url;
      expect((await send(url, { path: '/health/ready' })).status).toBe(200);

      const cutAt = performance.now();
      await stack.dbProxy.setMode('refuse');
      const detectMs = await waitFor(
        'readiness to fail',
        async () => {
          const r = await send(url, { path: '/health/ready' }, { timeoutMs: 5_000 });
          return r.status === 503 ? performance.now() - cutAt : undefined;
        },
        { timeoutMs: 15_000, intervalMs: 25 },
      );
      const ready = await send(url, { path: '/health/ready' });
      const live = await send(url, { path: '/health/live' });

      const defects = defectCollector();
      const during = await runLoad({
        baseUrl: url,
        concurrency: SETTINGS.concurrency,
        total: Math.min(SETTINGS.loadRequests, 2_000),
        durationMs: Math.min(SETTINGS.loadMs, 3_000),
        timeoutMs: SETTINGS.requestTimeoutMs,
        next: (i) => createClientSpec(auth, run, i),
        onResponse: (_i, _s, r) => defects.add(problemDefect(r)),
      });
      const liveDuring = await send(url, { path: '/health/live' });

      const restoredAt = performance.now();
      await stack.dbProxy.setMode('pass');
      const recoverMs = await waitFor(
        'readiness to pass again',
        async () => {
          const r = await send(url, { path: '/health/ready' }, { timeoutMs: 5_000 });
          return r.status === 200 ? performance.now() - restoredAt : undefined;
        },
        { timeoutMs: 20_000, intervalMs: 50 },
      );
      const after = await runLoad({
        baseUrl: url,
        concurrency: SETTINGS.concurrency,
        total: Math.min(SETTINGS.loadRequests, 2_000),
        durationMs: Math.min(SETTINGS.loadMs, 3_000),
        timeoutMs: SETTINGS.requestTimeoutMs,
        next: (i) => createClientSpec(auth, `${run}-after`, i),
      });

      recordFigures({
        scenario: '2. DB unreachable (during)',
        framework,
        sent: during.sent,
        succeeded: during.succeeded,
        failed: during.failed,
        p99Ms: during.p99,
        detectMs,
        recoverMs,
        note: `readiness ${ready.status}, liveness ${live.status}/${liveDuring.status}`,
      });
      recordFigures({
        scenario: '2. DB unreachable (after repair)',
        framework,
        sent: after.sent,
        succeeded: after.succeeded,
        failed: after.failed,
        p99Ms: after.p99,
      });

      expect(detectMs).toBeLessThanOrEqual(READY_TIMEOUT_MS + READY_CACHE_MS + SLACK_MS);
      expect(ready.status).toBe(503);
      expect((ready.json as { status?: string }).status).toBe('fail');
      expect(live.status).toBe(200);
      expect(liveDuring.status).toBe(200);
      expect(during.failed).toEqual({ 503: during.sent });
      expect(defects.list()).toEqual({});
      // "Quickly": well under the 2 s connection timeout, the proxy refuses at once.
      expect(during.p99).toBeLessThan(2_000);
      expect(after.failed).toEqual({});
      expect(after.succeeded).toBe(after.sent);
    });
  },
);
