// Scenario 8: batched audit `record()` outside transactions while the database is cut.
// The services audit reads of personal data through this very path; here the writer runs
// in-process so the test controls exactly which events were recorded and when the cut lands.
import { randomUUID } from 'node:crypto';
import type { AuditFailure } from '@plinth/audit';
import { createAuditLog } from '@plinth/audit';
import { runJob } from '@plinth/context';
import { createDatabase, type Database } from '@plinth/db-repository';
import type { AppError } from '@plinth/errors';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { recordFigures } from '../support/figures.js';
import { DATABASE_URL, NEEDS_SERVER, SETTINGS } from '../support/mode.js';
import { createFreshDatabase, type FreshDatabase } from '../support/postgres.js';
import { startTcpProxy, type TcpProxy } from '../support/proxy.js';
import { summarize } from '../support/stats.js';
import { sleep } from '../support/wait.js';

const TENANT = '7d0c3c1e-6f55-4e5f-9a44-5d1a2f0b9c01';

interface Rig {
  fresh: FreshDatabase;
  proxy: TcpProxy;
  db: Database;
}

async function rig(name: string): Promise<Rig> {
  const fresh = await createFreshDatabase(name);
  const proxy = await startTcpProxy(fresh.server);
  const db = createDatabase({
    connectionString: fresh.urlVia(proxy.address),
    pool: { max: 4, connectionTimeoutMs: 1_000, idleTimeoutMs: 1_000 },
  });
  // Schema first, straight to the server (not what is under test).
  const direct = createDatabase({ connectionString: fresh.url, pool: { max: 1 } });
  await createAuditLog({ db: direct }).maintenance.migrate();
  await direct.close();
  return { fresh, proxy, db };
}

const event = (i: number) => ({
  id: `rel-${i}-${randomUUID()}`,
  action: 'client.read',
  outcome: 'success' as const,
  tenantId: TENANT,
  actor: { id: 'reliability', type: 'user' },
  resource: { type: 'client', id: `c${i}` },
  metadata: { i },
});

async function storedIds(fresh: FreshDatabase) {
  const r = await fresh.query<{ id: string; n: string }>(
    'SELECT id, count(*) AS n FROM audit_events GROUP BY id',
  );
  const duplicates = r.rows.filter((row) => Number(row.n) > 1).length;
  return { ids: new Set(r.rows.map((row) => row.id)), duplicates };
}

const verify = (db: Database) =>
  runJob('reliability-verify', () => createAuditLog({ db }).reader.verify({ tenantId: TENANT }));

describe.skipIf(!DATABASE_URL)(
  `8. batched audit under a database outage ${DATABASE_URL ? '' : NEEDS_SERVER}`,
  () => {
    let r: Rig;
    beforeEach(async (ctx) => {
      r = await rig(`audit_outage_${ctx.task.id.slice(-4)}`);
    });
    afterEach(async () => {
      await r.proxy.setMode('pass');
      await r.db.close().catch(() => {});
      await r.proxy.close();
      await r.fresh.drop();
    });

    it(`stores every event recorded during a ${SETTINGS.auditOutageMs / 1000} s cut exactly once after recovery`, async () => {
      const failures: AuditFailure[] = [];
      const audit = createAuditLog({
        db: r.db,
        batch: { maxSize: 100, maxDelayMs: 20 },
        // Retries that outlast the outage: ~1 s apart at most, 40 attempts.
        retry: { maxAttempts: 40, baseDelayMs: 50, maxDelayMs: 1_000 },
        onError: (_e: AppError, f: AuditFailure) => failures.push(f),
      });
      const recorded: string[] = [];
      const recordLatency: number[] = [];
      let stop = false;
      let i = 0;
      // A steady producer before, during and after the cut (bounded by count and by `stop`).
      const producer = (async () => {
        while (!stop && i < 100_000) {
          const e = event(i++);
          const t0 = performance.now();
          await audit.writer.record(e);
          recordLatency.push(performance.now() - t0);
          recorded.push(e.id);
          await sleep(2);
        }
      })();
      await sleep(500);
      const cutAt = performance.now();
      await r.proxy.setMode('refuse');
      await sleep(SETTINGS.auditOutageMs);
      await r.proxy.setMode('pass');
      const restoredAt = performance.now();
      await sleep(300);
      stop = true;
      await producer;
      await audit.writer.flush();
      const flushedAt = performance.now();
      await audit.writer.close();

      const { ids, duplicates } = await storedIds(r.fresh);
      const missing = recorded.filter((id) => !ids.has(id));
      const result = await verify(r.db);
      recordFigures({
        scenario: '8. audit outage (retries outlast it)',
        framework: 'in-process',
        sent: recorded.length,
        succeeded: recorded.length - missing.length,
        failed: { 'onError events': failures.reduce((n, f) => n + f.ids.length, 0) },
        p99Ms: summarize(recordLatency).p99,
        audit: { expected: recorded.length, stored: ids.size },
        recoverMs: flushedAt - restoredAt,
        note: `cut ${Math.round(restoredAt - cutAt)} ms; duplicates ${duplicates}; p99 is record()`,
      });
      expect(failures).toEqual([]);
      expect(missing).toEqual([]);
      expect(duplicates).toBe(0);
      expect(ids.size).toBe(recorded.length);
      expect(result.ok).toBe(true);
    });

    it('reports through onError every event it gives up on, and stores the rest exactly once', async () => {
      const failures: AuditFailure[] = [];
      // Retries that give up during the outage (a few hundred ms of backoff in all).
      const audit = createAuditLog({
        db: r.db,
        batch: { maxSize: 50, maxDelayMs: 10 },
        retry: { maxAttempts: 3, baseDelayMs: 50, maxDelayMs: 200 },
        onError: (_e: AppError, f: AuditFailure) => failures.push(f),
      });
      const recorded: string[] = [];
      for (let i = 0; i < 200; i++) {
        const e = event(i);
        await audit.writer.record(e);
        recorded.push(e.id);
      }
      await audit.writer.flush();
      await r.proxy.setMode('refuse');
      for (let i = 200; i < 400; i++) {
        const e = event(i);
        await audit.writer.record(e);
        recorded.push(e.id);
      }
      const flushed = await audit.writer.flush().then(
        () => undefined,
        (err: AppError) => err,
      );
      await r.proxy.setMode('pass');
      for (let i = 400; i < 500; i++) {
        const e = event(i);
        await audit.writer.record(e);
        recorded.push(e.id);
      }
      await audit.writer.close();

      const reported = new Set(failures.flatMap((f) => f.ids));
      const { ids, duplicates } = await storedIds(r.fresh);
      const lost = recorded.filter((id) => !ids.has(id) && !reported.has(id));
      const both = recorded.filter((id) => ids.has(id) && reported.has(id));
      recordFigures({
        scenario: '8. audit outage (retries give up)',
        framework: 'in-process',
        sent: recorded.length,
        succeeded: ids.size,
        failed: { 'onError events': reported.size },
        audit: { expected: recorded.length, stored: ids.size },
        note: `silently lost ${lost.length}; stored and reported ${both.length}; duplicates ${duplicates}`,
      });
      expect(flushed?.code).toBe('AUDIT_WRITE_FAILED');
      expect(reported.size).toBe(200);
      expect(ids.size).toBe(300);
      expect(lost).toEqual([]);
      expect(both).toEqual([]);
      expect(duplicates).toBe(0);
      expect((await verify(r.db)).ok).toBe(true);
    });

    it('close() during the outage rejects and names, through onError, every event it could not write', async () => {
      const failures: AuditFailure[] = [];
      const audit = createAuditLog({
        db: r.db,
        batch: { maxSize: 25, maxDelayMs: 10 },
        retry: { maxAttempts: 4, baseDelayMs: 50, maxDelayMs: 300 },
        onError: (_e: AppError, f: AuditFailure) => failures.push(f),
      });
      await r.proxy.setMode('refuse');
      const recorded: string[] = [];
      for (let i = 0; i < 120; i++) {
        const e = event(i);
        await audit.writer.record(e);
        recorded.push(e.id);
      }
      const t0 = performance.now();
      const closed = await audit.writer.close().then(
        () => undefined,
        (err: AppError) => err,
      );
      const closeMs = performance.now() - t0;
      await r.proxy.setMode('pass');
      const reported = failures.flatMap((f) => f.ids);
      const { ids } = await storedIds(r.fresh);
      recordFigures({
        scenario: '8. close() during the outage',
        framework: 'in-process',
        sent: recorded.length,
        succeeded: ids.size,
        failed: { 'onError events': reported.length },
        audit: { expected: recorded.length, stored: ids.size },
        note: `close() settled in ${Math.round(closeMs)} ms with ${closed?.code ?? 'no error'}`,
      });
      expect(closed?.code).toBe('AUDIT_WRITE_FAILED');
      expect((closed?.details as { events?: number } | undefined)?.events).toBe(recorded.length);
      expect(new Set(reported)).toEqual(new Set(recorded));
      expect(ids.size).toBe(0);
      await expect(audit.writer.record(event(999))).rejects.toMatchObject({
        code: 'AUDIT_LOG_CLOSED',
      });
    });
  },
);
