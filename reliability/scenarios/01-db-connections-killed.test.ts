// Scenario 1: pg_terminate_backend on the service's backends while 200 clients create and read.
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createClientSpec,
  defectCollector,
  problemDefect,
  readClientSpec,
  tenantsWithTokens,
} from '../support/api.js';
import { auditedIds, countAudit, verifyAllChains } from '../support/audit.js';
import { recordFigures } from '../support/figures.js';
import { send } from '../support/http.js';
import { failedBreakdown, runLoad } from '../support/load.js';
import { DATABASE_URL, NEEDS_SERVER, SETTINGS } from '../support/mode.js';
import { FRAMEWORKS } from '../support/service.js';
import { type Stack, startStack } from '../support/stack.js';
import { createTimeline } from '../support/timeline.js';
import { sleep, waitFor } from '../support/wait.js';

const TENANTS = 16;

describe.skipIf(!DATABASE_URL).each(FRAMEWORKS)(
  `1. database connections killed mid-load (%s) ${DATABASE_URL ? '' : NEEDS_SERVER}`,
  (framework) => {
    let stack: Stack;
    beforeAll(async () => {
      stack = await startStack(framework, 'dbkill', { extra: { DATABASE_POOL_MAX: '10' } });
    });
    afterAll(async () => {
      await stack?.dispose();
    });

    it('fails in-flight requests fast with 503, recovers without a restart and loses no acknowledged write', async () => {
      // Several tenants, as real traffic: each tenant's audit chain serialises its own writes.
      const tenants = await tenantsWithTokens(TENANTS);
      const run = randomBytes(4).toString('hex');
      const created: { id: string; tenant: number }[] = [];
      let readsOk = 0;
      const defects = defectCollector();
      const timeline = createTimeline();
      // Terminates the service's backends; tries again briefly (bounded) when the pool
      // happens to hold none at that instant.
      const kill = async () => {
        for (let attempt = 0; attempt < 20; attempt++) {
          const r = await stack.db.query<{ n: string }>(
            `SELECT count(pg_terminate_backend(pid)) AS n FROM pg_stat_activity
              WHERE datname = $1 AND application_name = $2`,
            [stack.db.name, stack.applicationName],
          );
          const n = Number(r.rows[0]!.n);
          if (n > 0) return n;
          await sleep(50);
        }
        return 0;
      };

      const kills: { at: number; killed: number }[] = [];
      const killer = (async () => {
        for (const fraction of [0.3, 0.6]) {
          await sleep(SETTINGS.loadMs * (fraction - (kills.length ? 0.3 : 0)));
          const at = performance.now();
          kills.push({ at, killed: await kill() });
        }
      })();
      const load = await runLoad({
        baseUrl: stack.service.url,
        concurrency: SETTINGS.concurrency,
        total: SETTINGS.loadRequests,
        durationMs: SETTINGS.loadMs,
        timeoutMs: SETTINGS.requestTimeoutMs,
        next: (i) => {
          if (created.length > 20 && i % 3 === 0) {
            const c = created[i % created.length]!;
            return readClientSpec(tenants[c.tenant]!.auth, c.id);
          }
          return createClientSpec(tenants[i % TENANTS]!.auth, run, i);
        },
        onResponse: (i, spec, r) => {
          timeline.add(r);
          defects.add(problemDefect(r));
          if (spec.method === 'POST' && r.status === 201)
            created.push({ id: (r.json as { id: string }).id, tenant: i % TENANTS });
          if (spec.method === undefined && r.status === 200) readsOk++;
        },
      });
      await killer;

      // The pool recovers by itself: sequential requests after the load all succeed.
      const after = [];
      for (let i = 0; i < 20; i++)
        after.push(
          (await send(stack.service.url, createClientSpec(tenants[0]!.auth, `${run}-after`, i)))
            .status,
        );

      const ids = created.map((c) => c.id);
      const stored = await stack.db.query<{ id: string }>(
        'SELECT id::text AS id FROM clients WHERE id = ANY($1::uuid[])',
        [ids],
      );
      const audited = await auditedIds(stack.db, 'client.created', ids);
      // Reads are audited through the batched writer (outside the transaction): wait for it.
      const readEvents = await waitFor(
        'every acknowledged read audited',
        async () => {
          const n = await countAudit(stack.db, 'client.read');
          return n >= readsOk ? n : undefined;
        },
        { timeoutMs: 15_000, intervalMs: 200 },
      ).catch(() => countAudit(stack.db, 'client.read'));
      const chains = await verifyAllChains(stack.db);

      const first = kills[0]!;
      recordFigures({
        scenario: '1. DB connections killed',
        framework,
        sent: load.sent,
        succeeded: load.succeeded,
        failed: failedBreakdown(load),
        p99Ms: load.p99,
        audit: { expected: created.length + readsOk, stored: audited.size + readEvents },
        detectMs: timeline.firstFailureAfter(first.at),
        recoverMs: timeline.firstSuccessAfter(first.at),
        note: `backends killed ${kills.map((k) => k.killed).join('+')}; max ${Math.round(load.max)} ms`,
      });

      expect(
        kills.every((k) => k.killed > 0),
        'the service had backends to kill',
      ).toBe(true);
      expect(Object.keys(load.failed).filter((k) => k !== '503')).toEqual([]);
      expect(defects.list()).toEqual({});
      expect(
        after.every((s) => s === 201),
        `after the kills: ${after.join(',')}`,
      ).toBe(true);
      expect(stored.rows.length).toBe(created.length);
      expect(audited.size).toBe(created.length);
      expect(readEvents).toBe(readsOk);
      expect(
        chains.every((c) => c.ok),
        JSON.stringify(chains),
      ).toBe(true);
      expect(load.max).toBeLessThan(SETTINGS.requestTimeoutMs);
    });
  },
);
