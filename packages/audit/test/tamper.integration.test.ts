import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { event, setupAudit } from './helpers.js';

/** Runs `statement` with the append-only trigger switched off, as a superuser could. */
async function tamper(t: Awaited<ReturnType<typeof setupAudit>>, statement: string) {
  await t.admin(async (c) => {
    await c.query('SET session_replication_role = replica');
    try {
      for (const part of statement.split(';').filter((p) => p.trim() !== '')) await c.query(part);
    } finally {
      await c.query('SET session_replication_role = origin');
    }
  });
}

describe('verify', () => {
  let t: Awaited<ReturnType<typeof setupAudit>>;
  beforeAll(async () => {
    t = await setupAudit('audit_tamper');
    for (const tenant of ['modified', 'deleted', 'reordered', 'inserted', 'tail', 'clean']) {
      for (let i = 1; i <= 10; i++) await t.audit.writer.record(event(i, { tenantId: tenant }));
    }
    await t.audit.writer.flush();
  });
  afterAll(async () => {
    await t.audit.writer.close();
    await t.dispose();
  });

  it('passes an untouched chain', async () => {
    expect(await t.sys.verify({ tenantId: 'clean' })).toEqual({
      ok: true,
      checked: 10,
      firstBadSeq: null,
      reason: null,
    });
  });

  it('finds a modified row at its seq', async () => {
    await tamper(
      t,
      `UPDATE audit_events SET outcome = 'failure' WHERE tenant_id = 'modified' AND seq = 4`,
    );
    expect(await t.sys.verify({ tenantId: 'modified' })).toMatchObject({
      ok: false,
      firstBadSeq: 4,
      reason: 'hash-mismatch',
    });
  });

  it('finds a deleted row at its seq', async () => {
    await tamper(t, `DELETE FROM audit_events WHERE tenant_id = 'deleted' AND seq = 6`);
    expect(await t.sys.verify({ tenantId: 'deleted' })).toMatchObject({
      ok: false,
      firstBadSeq: 6,
      reason: 'seq-gap',
    });
  });

  it('finds a reordering at the first moved seq', async () => {
    await tamper(
      t,
      `UPDATE audit_events SET seq = 1000 WHERE tenant_id = 'reordered' AND seq = 3;
       UPDATE audit_events SET seq = 3 WHERE tenant_id = 'reordered' AND seq = 7;
       UPDATE audit_events SET seq = 7 WHERE tenant_id = 'reordered' AND seq = 1000;`,
    );
    expect(await t.sys.verify({ tenantId: 'reordered' })).toMatchObject({
      ok: false,
      firstBadSeq: 3,
      reason: 'hash-mismatch',
    });
  });

  it('finds an inserted row that reuses a position', async () => {
    await tamper(
      t,
      `INSERT INTO audit_events SELECT tenant_id, seq, 'forged', occurred_at, recorded_at + interval '1 ms',
         action, outcome, actor_id, actor_type, resource_type, resource_id, correlation_id, request_id,
         ip, user_agent, metadata, sensitive, prev_hash, hash
       FROM audit_events WHERE tenant_id = 'inserted' AND seq = 5`,
    );
    expect(await t.sys.verify({ tenantId: 'inserted' })).toMatchObject({
      ok: false,
      firstBadSeq: 5,
    });
  });

  it('finds rows deleted from the end of the chain', async () => {
    await tamper(t, `DELETE FROM audit_events WHERE tenant_id = 'tail' AND seq >= 9`);
    expect(await t.sys.verify({ tenantId: 'tail' })).toMatchObject({
      ok: false,
      firstBadSeq: 9,
      reason: 'seq-gap',
    });
  });

  it('checks a sub-range anchored on the row before it', async () => {
    expect(await t.sys.verify({ tenantId: 'modified', fromSeq: 5, toSeq: 10 })).toMatchObject({
      ok: true,
      checked: 6,
    });
    expect(await t.sys.verify({ tenantId: 'modified', fromSeq: 2, toSeq: 3 })).toMatchObject({
      ok: true,
      checked: 2,
    });
  });

  it('never looks at another tenant: tampering in one leaves the others valid', async () => {
    expect((await t.sys.verify({ tenantId: 'clean' })).ok).toBe(true);
  });

  it('rejects bounds that would check nothing instead of reporting a sound chain', async () => {
    for (const [range, path] of [
      [{ fromSeq: 5, toSeq: 2 }, 'toSeq'],
      [{ fromSeq: Number.NaN }, 'fromSeq'],
      [{ toSeq: 0 }, 'toSeq'],
    ] as const) {
      await expect(t.sys.verify({ tenantId: 'clean', ...range })).rejects.toMatchObject({
        code: 'INVALID_OPTIONS',
        issues: [{ path }],
      });
    }
  });
});
