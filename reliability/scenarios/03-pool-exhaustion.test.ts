// Scenario 3: slow queries hold every pooled connection; waiting requests must get 503
// after the acquire timeout (not hang) and health must stay answerable.
import { randomBytes } from 'node:crypto';
import pg from 'pg';
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
import { failedBreakdown, machineBaseline, startLoad } from '../support/load.js';
import { DATABASE_URL, NEEDS_SERVER, SETTINGS } from '../support/mode.js';
import { FRAMEWORKS } from '../support/service.js';
import { type Stack, startStack } from '../support/stack.js';
import { createTimeline } from '../support/timeline.js';
import { sleep } from '../support/wait.js';

const POOL_MAX = 4;
const ACQUIRE_TIMEOUT_MS = 1_000;
const STATEMENT_TIMEOUT_MS = 2_000;

describe.skipIf(!DATABASE_URL).each(FRAMEWORKS)(
  `3. pool exhaustion (%s) ${DATABASE_URL ? '' : NEEDS_SERVER}`,
  (framework) => {
    let stack: Stack;
    beforeAll(async () => {
      stack = await startStack(framework, 'pool', {
        extra: {
          DATABASE_POOL_MAX: String(POOL_MAX),
          DATABASE_CONNECTION_TIMEOUT: `${ACQUIRE_TIMEOUT_MS}ms`,
          DATABASE_STATEMENT_TIMEOUT: `${STATEMENT_TIMEOUT_MS}ms`,
        },
      });
    });
    afterAll(async () => {
      await stack?.dispose();
    });

    it('answers waiting requests 503 after the acquire timeout while slow queries hold the pool', async () => {
      const { auth } = await tenantWithToken();
      const run = randomBytes(4).toString('hex');
      const url = stack.service.url;
      const seed = await send(url, createClientSpec(auth, run, -1));
      expect(seed.status).toBe(201);
      const id = (seed.json as { id: string }).id;
      const machine = await machineBaseline(url, SETTINGS.concurrency);

      // Slow queries: an exclusive lock on clients makes every service statement on it wait
      // (until its statement timeout), so the pool's connections are all held.
      const locker = new pg.Client({ connectionString: stack.db.url });
      await locker.connect();
      const defects = defectCollector();
      const timeline = createTimeline();
      const healthMs: number[] = [];
      const healthStatuses: Record<string, number> = {};
      let lockedAt = 0;
      let releasedAt = 0;
      const holdMs = Math.max(SETTINGS.loadMs, STATEMENT_TIMEOUT_MS + ACQUIRE_TIMEOUT_MS + 500);
      try {
        await locker.query('BEGIN');
        await locker.query('LOCK TABLE clients IN ACCESS EXCLUSIVE MODE');
        lockedAt = performance.now();
        const load = startLoad({
          baseUrl: url,
          concurrency: SETTINGS.concurrency,
          total: SETTINGS.loadRequests,
          durationMs: holdMs + 1_000,
          timeoutMs: SETTINGS.requestTimeoutMs,
          next: (i) => (i % 2 ? readClientSpec(auth, id) : createClientSpec(auth, run, i)),
          onResponse: (_i, _s, r) => {
            timeline.add(r);
            defects.add(problemDefect(r));
          },
        });
        // Health stays answerable while the pool is exhausted.
        const healthDeadline = Date.now() + holdMs - 200;
        while (Date.now() < healthDeadline) {
          for (const path of ['/health/live', '/health/ready']) {
            const r = await send(url, { path }, { timeoutMs: 10_000 }).catch(() => undefined);
            const key = `${path.slice(8)} ${r?.status ?? 'no answer'}`;
            healthStatuses[key] = (healthStatuses[key] ?? 0) + 1;
            if (r) healthMs.push(r.ms);
          }
          await sleep(200);
        }
        await locker.query('ROLLBACK');
        releasedAt = performance.now();
        const result = await load.done;
        const probe = await send(url, readClientSpec(auth, id));

        recordFigures({
          scenario: '3. pool exhaustion',
          framework,
          sent: result.sent,
          succeeded: result.succeeded,
          failed: failedBreakdown(result),
          p99Ms: result.p99,
          detectMs: timeline.firstFailureAfter(lockedAt),
          recoverMs: timeline.firstSuccessAfter(releasedAt),
          note: `pool ${POOL_MAX}, acquire ${ACQUIRE_TIMEOUT_MS} ms, statement ${STATEMENT_TIMEOUT_MS} ms; health ${JSON.stringify(healthStatuses)} max ${Math.round(Math.max(...healthMs))} ms; liveness under the same load: max ${Math.round(machine.max)} ms`,
        });

        expect(Object.keys(result.failed).filter((k) => k !== '503' && k !== '504')).toEqual([]);
        expect(result.failed['503'] ?? 0).toBeGreaterThan(0);
        expect(defects.list()).toEqual({});
        // Nobody waits for ever: at most the statement timeout plus one acquire timeout,
        // plus what the machine itself costs under this load (the liveness figure, three
        // times over: failing requests log an error each, which a probe does not).
        expect(result.max).toBeLessThan(
          STATEMENT_TIMEOUT_MS + ACQUIRE_TIMEOUT_MS + 3 * machine.max + 1_000,
        );
        expect(Object.keys(healthStatuses).some((k) => k.includes('no answer'))).toBe(false);
        expect(healthStatuses['live 200']).toBeGreaterThan(0);
        expect(Math.max(...healthMs)).toBeLessThan(1_000 + machine.max);
        expect(probe.status).toBe(200);
      } finally {
        await locker.end().catch(() => {});
      }
    });
  },
);
