// Scenario 7: SIGTERM while 1,000 keep-alive clients read (each read is an audit event,
// batched): readiness fails at once, the load balancer (this test) stops sending, and
// everything already accepted completes before the process exits with its buffers flushed.
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createClientSpec,
  defectCollector,
  problemDefect,
  readClientSpec,
  tenantWithToken,
} from '../support/api.js';
import { countAudit } from '../support/audit.js';
import { recordFigures } from '../support/figures.js';
import { send } from '../support/http.js';
import { failedBreakdown, startLoad } from '../support/load.js';
import { DATABASE_URL, NEEDS_SERVER, SETTINGS } from '../support/mode.js';
import { FRAMEWORKS } from '../support/service.js';
import { type Stack, startStack } from '../support/stack.js';
import { sleep } from '../support/wait.js';

/** Long enough for every request already on the wire to be read before the server closes. */
const DRAIN_MS = 3_000;
const SHUTDOWN_TIMEOUT_MS = 10_000;
/** Scheduling slack on a loaded 2-core machine. */
const SLACK_MS = 3_000;

describe.skipIf(!DATABASE_URL).each(FRAMEWORKS)(
  `7. graceful shutdown under load (%s) ${DATABASE_URL ? '' : NEEDS_SERVER}`,
  (framework) => {
    let stack: Stack;
    beforeAll(async () => {
      stack = await startStack(framework, 'shutdown', {
        extra: {
          SHUTDOWN_DRAIN_DELAY: `${DRAIN_MS}ms`,
          SHUTDOWN_TIMEOUT: `${SHUTDOWN_TIMEOUT_MS}ms`,
          DATABASE_POOL_MAX: '20',
          // This scenario is about shutdown, not overload: on a slow machine 1,000 clients
          // queue for the pool, and that must show as latency, not as acquire timeouts.
          DATABASE_CONNECTION_TIMEOUT: '30s',
        },
      });
    });
    afterAll(async () => {
      await stack?.dispose();
    });

    it('fails readiness at once, completes every accepted request and exits with audit flushed', async () => {
      const { auth } = await tenantWithToken();
      const url = stack.service.url;
      const seed = await send(url, createClientSpec(auth, randomBytes(4).toString('hex'), 0));
      expect(seed.status).toBe(201);
      const id = (seed.json as { id: string }).id;
      const defects = defectCollector();
      let reads = 0;
      const load = startLoad({
        baseUrl: url,
        concurrency: SETTINGS.shutdownClients,
        total: SETTINGS.loadRequests * 10,
        durationMs: SETTINGS.loadMs + 30_000,
        timeoutMs: SETTINGS.requestTimeoutMs,
        next: () => readClientSpec(auth, id),
        onResponse: (_i, _s, r) => {
          defects.add(problemDefect(r));
          if (r.status === 200) reads++;
        },
      });
      await sleep(SETTINGS.loadMs / 2);
      const sentBefore = load.sent();

      const termAt = performance.now();
      stack.service.child.kill('SIGTERM');
      // The load balancer stops routing here; everything already sent was accepted and must complete.
      load.stop();
      // Its probe, on a fresh connection, shortly after the signal: readiness must already fail.
      await sleep(50);
      const probeSentAt = performance.now() - termAt;
      const first = await send(
        url,
        { path: '/health/ready' },
        { agent: false, timeoutMs: 15_000 },
      ).catch((err: { code?: string }) => err.code ?? 'error');
      const probe = typeof first === 'string' ? first : first.status;
      const readinessFailedMs = performance.now() - termAt;
      const result = await load.done;
      const exit = await stack.service.exited;
      const exitMs = exit.at - termAt;
      // The service is gone: whatever is stored now is all it flushed.
      const stored = await countAudit(stack.db, 'client.read');

      recordFigures({
        scenario: '7. SIGTERM under 1,000 keep-alive clients',
        framework,
        sent: result.sent,
        succeeded: result.succeeded,
        failed: failedBreakdown(result),
        p99Ms: result.p99,
        audit: { expected: reads, stored },
        detectMs: readinessFailedMs,
        note: `first readiness probe (sent ${Math.round(probeSentAt)} ms after SIGTERM) answered ${probe}; exit ${exit.code ?? exit.signal} after ${Math.round(exitMs)} ms; ${sentBefore} sent before SIGTERM`,
      });

      expect(probe).toBe(503);
      expect(result.failed).toEqual({});
      expect(defects.list()).toEqual({});
      expect(exit.code).toBe(0);
      expect(exitMs).toBeLessThan(DRAIN_MS + SHUTDOWN_TIMEOUT_MS + SLACK_MS);
      expect(stored).toBe(reads);
    });
  },
);
