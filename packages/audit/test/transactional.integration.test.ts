import { sql } from '@plinth/db-repository';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { event, setupAudit } from './helpers.js';

describe('transactional mode', () => {
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
    t = await setupAudit('audit_tx');
    await t.db.query(sql`CREATE TABLE clients (id text PRIMARY KEY)`);
  });
  afterAll(async () => {
    await t.audit.writer.close();
    await t.dispose();
  });

  it('commits the event with the business change', async () => {
    await t.db.transaction(async () => {
      await t.db.query(sql`INSERT INTO clients (id) VALUES ('c1')`);
      await t.audit.writer.record(
        event(1, { tenantId: 'commit', resource: { type: 'client', id: 'c1' } }),
      );
      // Written in the transaction itself, visible before commit to the same transaction.
      expect(await count('commit')).toBe(1);
    });
    expect(await count('commit')).toBe(1);
    expect(await t.db.maybeOne(sql`SELECT id FROM clients WHERE id = 'c1'`)).not.toBeNull();
    expect((await t.sys.verify({ tenantId: 'commit' })).ok).toBe(true);
  });

  it('rolls the event back with the business change', async () => {
    await expect(
      t.db.transaction(async () => {
        await t.db.query(sql`INSERT INTO clients (id) VALUES ('c2')`);
        await t.audit.writer.record(event(2, { tenantId: 'rollback' }));
        throw new Error('business rule failed');
      }),
    ).rejects.toThrow('business rule failed');
    await t.audit.writer.flush();
    expect(await count('rollback')).toBe(0);
    expect(await t.db.maybeOne(sql`SELECT id FROM clients WHERE id = 'c2'`)).toBeNull();
    // The chain head rolled back too: the next event is seq 1 and the chain verifies.
    await t.db.transaction(() => t.audit.writer.record(event(3, { tenantId: 'rollback' })));
    const page = await t.sys.query({ tenantId: 'rollback' });
    expect(page.items.map((i) => i.seq)).toEqual([1]);
    expect((await t.sys.verify({ tenantId: 'rollback' })).ok).toBe(true);
  });

  it("keeps an event recorded with mode 'batched' when the transaction rolls back", async () => {
    await expect(
      t.db.transaction(async () => {
        await t.audit.writer.record(event(4, { tenantId: 'denied', outcome: 'denied' }), {
          mode: 'batched',
        });
        throw new Error('forbidden');
      }),
    ).rejects.toThrow('forbidden');
    await t.audit.writer.flush();
    expect(await count('denied')).toBe(1);
  });

  it("refuses mode 'transactional' outside a transaction", async () => {
    await expect(t.audit.writer.record(event(5), { mode: 'transactional' })).rejects.toMatchObject({
      code: 'AUDIT_NO_TRANSACTION',
    });
  });
});
