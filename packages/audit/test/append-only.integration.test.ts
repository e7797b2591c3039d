import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { embedded, event, NEEDS_SERVER, setupAudit } from './helpers.js';

/** SQLSTATE of a raw pg error or of the AppError @plinth/db-repository maps it to. */
async function sqlState(work: Promise<unknown>): Promise<string> {
  return work.then(
    () => 'no error',
    (err: { code?: string; context?: { sqlState?: string }; message?: string }) =>
      `${err.context?.sqlState ?? err.code}`,
  );
}

describe('append-only store', () => {
  let t: Awaited<ReturnType<typeof setupAudit>>;
  beforeAll(async () => {
    t = await setupAudit('audit_append');
    for (let i = 1; i <= 3; i++) await t.audit.writer.record(event(i));
    await t.audit.writer.flush();
  });
  afterAll(async () => {
    await t.audit.writer.close();
    await t.dispose();
  });

  for (const statement of [
    'UPDATE audit_events SET action = $$x.y$$',
    'DELETE FROM audit_events',
    'TRUNCATE audit_events',
  ]) {
    it(`rejects "${statement.split(' ')[0]}" by trigger even for the owner`, async () => {
      expect(await sqlState(t.admin((c) => c.query(statement)))).toBe('42501');
    });
  }

  it('rejects TRUNCATE of a partition addressed directly', async () => {
    const [partition] = await t.audit.maintenance.listPartitions();
    expect(await sqlState(t.admin((c) => c.query(`TRUNCATE "${partition!.name}"`)))).toBe('42501');
  });

  it('rejects moving a chain head backwards', async () => {
    expect(
      await sqlState(
        t.admin((c) => c.query(`UPDATE audit_chain_heads SET seq = 1 WHERE tenant_id = 't1'`)),
      ),
    ).toBe('42501');
    // The rows are untouched.
    expect((await t.sys.verify({ tenantId: 't1' })).ok).toBe(true);
  });

  it.skipIf(embedded)(
    `lets the runtime role from the documented GRANTs insert and read but not UPDATE, DELETE or TRUNCATE (${NEEDS_SERVER})`,
    async () => {
      const role = `${t.schema}_rt`;
      await t.admin(async (c) => {
        await c.query(`CREATE ROLE "${role}" NOLOGIN`);
        await c.query(`GRANT USAGE ON SCHEMA "${t.schema}" TO "${role}"`);
        await c.query(`GRANT SELECT, INSERT ON audit_events TO "${role}"`);
        await c.query(`GRANT SELECT, INSERT, UPDATE ON audit_chain_heads TO "${role}"`);
        await c.query(`GRANT SELECT ON audit_retention_marks TO "${role}"`);
        await c.query(`GRANT EXECUTE ON FUNCTION audit_ensure_partition(date) TO "${role}"`);
      });
      try {
        const outcome = await t.admin(async (c) => {
          await c.query(`SET ROLE "${role}"`);
          const results: Record<string, string> = {};
          for (const [name, q] of [
            ['update', 'UPDATE audit_events SET action = $$x.y$$'],
            ['delete', 'DELETE FROM audit_events'],
            ['truncate', 'TRUNCATE audit_events'],
          ] as const) {
            results[name] = await c.query(q).then(
              () => 'allowed',
              (err: { code?: string }) => String(err.code),
            );
          }
          results.select = await c
            .query('SELECT count(*) FROM audit_events')
            .then((r) => String(r.rows[0]?.count));
          results.partition = await c
            .query(`SELECT audit_ensure_partition('2031-01-01')`)
            .then((r) => String(r.rows[0]?.audit_ensure_partition));
          await c.query('RESET ROLE');
          return results;
        });
        expect(outcome).toEqual({
          update: '42501',
          delete: '42501',
          truncate: '42501',
          select: '3',
          partition: 'audit_events_2031_01',
        });
      } finally {
        await t.admin(async (c) => {
          await c.query(`DROP OWNED BY "${role}"`);
          await c.query(`DROP ROLE "${role}"`);
        });
      }
    },
  );
});
