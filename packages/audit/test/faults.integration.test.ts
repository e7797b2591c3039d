import { createServer } from 'node:net';
import type { AuditFailure } from '@plinth/audit';
import { createAuditLog } from '@plinth/audit';
import type { Database } from '@plinth/db-repository';
import { createDatabase, sql } from '@plinth/db-repository';
import { type AppError, ServiceUnavailableError } from '@plinth/errors';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { embedded, event, NEEDS_SERVER, setupAudit } from './helpers.js';

async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** A Database whose transactions wait until `open()` is called. */
function gated(db: Database) {
  let open!: () => void;
  const gate = new Promise<void>((resolve) => {
    open = resolve;
  });
  const wrapped: Database = {
    ...db,
    query: db.query.bind(db),
    one: db.one.bind(db),
    maybeOne: db.maybeOne.bind(db),
    many: db.many.bind(db),
    inTransaction: db.inTransaction.bind(db),
    transaction: async (fn, o) => {
      await gate;
      return db.transaction(fn, o);
    },
  };
  return { db: wrapped, open };
}

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('faults and backpressure', () => {
  let t: Awaited<ReturnType<typeof setupAudit>>;
  const count = async (tenantId: string) =>
    Number(
      (
        await t.db.one<{ n: string }>(
          sql`SELECT count(*) AS n FROM audit_events WHERE tenant_id = ${tenantId}`,
        )
      ).n,
    );
  beforeAll(async () => {
    t = await setupAudit('audit_faults', {});
  });
  afterAll(async () => {
    await t.audit.writer.close();
    await t.dispose();
  });

  it('makes record() wait while the queue is full and resumes when space frees up', async () => {
    const g = gated(t.db);
    const log = createAuditLog({ db: g.db, batch: { maxSize: 2, maxQueue: 4, maxDelayMs: 0 } });
    for (let i = 0; i < 4; i++) await log.writer.record(event(i, { tenantId: 'bp' }));
    let fifthAccepted = false;
    const fifth = log.writer.record(event(5, { tenantId: 'bp' })).then(() => {
      fifthAccepted = true;
    });
    for (let i = 0; i < 20; i++) await tick();
    expect(fifthAccepted).toBe(false);
    g.open();
    await fifth;
    expect(fifthAccepted).toBe(true);
    await log.writer.close();
    expect(await count('bp')).toBe(5);
  });

  it('fails loudly through onError and rejected flush/close when the database never comes back', async () => {
    const port = await closedPort();
    const db = createDatabase({
      connectionString: `postgres://postgres@127.0.0.1:${port}/test`,
      pool: { max: 1, connectionTimeoutMs: 500 },
    });
    const failures: { error: AppError; failure: AuditFailure }[] = [];
    const log = createAuditLog({
      db,
      retry: { maxAttempts: 3, baseDelayMs: 5, maxDelayMs: 20 },
      onError: (error, failure) => failures.push({ error, failure }),
    });
    await log.writer.record(event(1, { id: 'lost-1' }));
    await log.writer.record(event(2, { id: 'lost-2' }));
    await expect(log.writer.flush()).rejects.toMatchObject({ code: 'AUDIT_WRITE_FAILED' });
    expect(failures).toHaveLength(1);
    expect(failures[0]?.failure.ids).toEqual(['lost-1', 'lost-2']);
    expect(failures[0]?.error).toMatchObject({
      code: 'AUDIT_WRITE_FAILED',
      details: { attempts: 3 },
    });

    await log.writer.record(event(3, { id: 'lost-3' }));
    await expect(log.writer.close()).rejects.toMatchObject({ code: 'AUDIT_WRITE_FAILED' });
    expect(failures.flatMap((f) => f.failure.ids)).toEqual(['lost-1', 'lost-2', 'lost-3']);
    await expect(log.writer.record(event(4))).rejects.toMatchObject({ code: 'AUDIT_LOG_CLOSED' });
    await db.close();
  });

  it('stores a batch once when its commit succeeded but the acknowledgement was lost', async () => {
    let lostAck = true;
    const flaky: Database = {
      ...t.db,
      inTransaction: t.db.inTransaction.bind(t.db),
      transaction: async (fn, o) => {
        const result = await t.db.transaction(fn, o);
        if (lostAck) {
          lostAck = false;
          throw new ServiceUnavailableError('connection lost after COMMIT', {
            code: 'DB_UNAVAILABLE',
          });
        }
        return result;
      },
    };
    const log = createAuditLog({ db: flaky, retry: { baseDelayMs: 1 } });
    // Generated ids: only the retry's lookup can recognise them.
    for (let i = 0; i < 10; i++) await log.writer.record(event(i, { tenantId: 'ack' }));
    await log.writer.close();
    expect(lostAck).toBe(false);
    expect(await count('ack')).toBe(10);
    expect((await t.sys.verify({ tenantId: 'ack' })).ok).toBe(true);
  });

  it('does not retry a permanent failure', async () => {
    const attempts: number[] = [];
    const broken: Database = {
      ...t.db,
      inTransaction: () => false,
      transaction: async () => {
        attempts.push(1);
        throw Object.assign(new Error('relation "audit_events" does not exist'), { code: '42P01' });
      },
    };
    const log = createAuditLog({ db: broken, retry: { maxAttempts: 5, baseDelayMs: 1 } });
    await log.writer.record(event(1));
    await expect(log.writer.close()).rejects.toMatchObject({ code: 'AUDIT_WRITE_FAILED' });
    expect(attempts).toHaveLength(1);
  });

  it.skipIf(embedded)(
    `retries batches whose connections are terminated mid-stream and stores every event once (${NEEDS_SERVER})`,
    async () => {
      const app = `audit_kill_${Date.now()}`;
      const db = createDatabase({
        connectionString: t.connectionString,
        searchPath: [t.schema, 'public'],
        applicationName: app,
        pool: { max: 2 },
      });
      const log = createAuditLog({
        db,
        batch: { maxSize: 100 },
        retry: { maxAttempts: 20, baseDelayMs: 5, maxDelayMs: 50 },
      });
      const admin = new pg.Client({ connectionString: t.connectionString });
      await admin.connect();
      let killed = 0;
      let producing = true;
      const killer = (async () => {
        // A handful of terminations spread over the stream: an outage, not a permanent kill switch.
        while (producing && killed < 8) {
          const r = await admin.query(
            'SELECT count(*) FILTER (WHERE pg_terminate_backend(pid)) AS n FROM pg_stat_activity WHERE application_name = $1',
            [app],
          );
          killed += Number(r.rows[0]?.n ?? 0);
          await new Promise((resolve) => setTimeout(resolve, 40));
        }
      })();
      const total = 3_000;
      for (let i = 0; i < total; i++)
        await log.writer.record(event(i, { tenantId: 'killed', id: `k-${i}` }));
      await log.writer.flush();
      producing = false;
      await killer;
      await admin.end();
      await log.writer.close();
      await db.close();
      expect(killed).toBeGreaterThan(0);
      expect(await count('killed')).toBe(total);
      expect(await t.sys.verify({ tenantId: 'killed' })).toMatchObject({
        ok: true,
        checked: total,
      });
    },
  );
});
