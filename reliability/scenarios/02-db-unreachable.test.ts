// Scenario 2: the proxy in front of PostgreSQL drops every connection and refuses new ones.
import { randomBytes } from 'node:crypto';
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
import { failedBreakdown, machineBaseline, runLoad } from '../support/load.js';
import { DATABASE_URL, NEEDS_SERVER, SETTINGS } from '../support/mode.js';
import { FRAMEWORKS } from '../support/service.js';
import { type Stack, startStack } from '../support/stack.js';
import { waitFor } from '../support/wait.js';

/** The service's readiness settings (clients-core app.ts): check timeout 1 s, no cache. */
const READY_TIMEOUT_MS = 1_000;
const READY_CACHE_MS = 0;
/** Scheduling slack on a loaded 2-core machine. */
const SLACK_MS = 1_500;
/** The pool's acquire/connect timeout (DATABASE_CONNECTION_TIMEOUT, its default). */
const CONNECTION_TIMEOUT_MS = 5_000;
/** Clients after the repair: "traffic succeeds", not an overload test. */
const AFTER_CONCURRENCY = 50;

describe.skipIf(!DATABASE_URL).each(FRAMEWORKS)(
  `2. database unreachable (%s) ${DATABASE_URL ? '' : NEEDS_SERVER}`,
  (framework) => {
    let stack: Stack;
    beforeAll(async () => {
      stack = await startStack(framework, 'dbdown', {
        extra: { DATABASE_CONNECTION_TIMEOUT: `${CONNECTION_TIMEOUT_MS}ms` },
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
      const seed = await send(url, createClientSpec(auth, run, -1));
      expect(seed.status).toBe(201);
      const id = (seed.json as { id: string }).id;
      const machine = await machineBaseline(url, SETTINGS.concurrency);

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
        concurrency: AFTER_CONCURRENCY,
        total: Math.min(SETTINGS.loadRequests, 2_000),
        durationMs: Math.min(SETTINGS.loadMs, 3_000),
        timeoutMs: SETTINGS.requestTimeoutMs,
        next: () => readClientSpec(auth, id),
      });

      recordFigures({
        scenario: '2. DB unreachable (during)',
        framework,
        sent: during.sent,
        succeeded: during.succeeded,
        failed: failedBreakdown(during),
        p99Ms: during.p99,
        detectMs,
        recoverMs,
        note: `readiness ${ready.status}, liveness ${live.status}/${liveDuring.status}; max ${Math.round(during.max)} ms (liveness under the same load: max ${Math.round(machine.max)} ms)`,
      });
      recordFigures({
        scenario: '2. DB unreachable (after repair, reads)',
        framework,
        sent: after.sent,
        succeeded: after.succeeded,
        failed: failedBreakdown(after),
        p99Ms: after.p99,
      });

      expect(detectMs).toBeLessThanOrEqual(READY_TIMEOUT_MS + READY_CACHE_MS + SLACK_MS);
      expect(ready.status).toBe(503);
      expect((ready.json as { status?: string }).status).toBe('fail');
      expect(live.status).toBe(200);
      expect(liveDuring.status).toBe(200);
      expect(during.failed).toEqual({ 503: during.sent });
      expect(defects.list()).toEqual({});
      // "Quickly": a refused connection fails at once, so nobody waits for the connect
      // timeout; what remains is the machine's own latency under this load.
      expect(during.max).toBeLessThan(CONNECTION_TIMEOUT_MS + machine.max);
      expect(after.failed).toEqual({});
      expect(after.succeeded).toBe(after.sent);
    });
  },
);
