import { canonicalEventBytes, computeEventHash, type StoredAuditRow } from '@plinth/audit';
import { createRequestContext, runCli, runJob, runWithContext } from '@plinth/context';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { asSystem, event, setupAudit } from './helpers.js';

const request = <T>(tenantId: string | undefined, fn: () => T): T =>
  runWithContext(createRequestContext({ source: 'http', tenantId }), fn);

describe('the no-tenant chain', () => {
  let t: Awaited<ReturnType<typeof setupAudit>>;
  beforeAll(async () => {
    t = await setupAudit('audit_no_tenant');
    // A rejected token: the request has no tenant yet.
    await request(undefined, () =>
      t.audit.writer.record({
        action: 'auth.token.rejected',
        outcome: 'denied',
        actor: null,
        metadata: { reason: 'expired' },
      }),
    );
    // A failed login outside any context, and one that names "no tenant" explicitly.
    await t.audit.writer.record({ action: 'auth.login.failed', outcome: 'failure', actor: null });
    await request('t1', () =>
      t.audit.writer.record({
        tenantId: null,
        action: 'auth.login.failed',
        outcome: 'failure',
        sensitive: { email: 'ada@example.com' },
      }),
    );
    await t.audit.writer.record(event(1, { tenantId: 't1' }));
    await t.audit.writer.flush();
  });
  afterAll(async () => {
    await t.audit.writer.close();
    await t.dispose();
  });

  it('accepts events with no tenant known into one chain of their own', async () => {
    const page = await t.sys.query({ tenantId: null, order: 'asc', decrypt: true });
    expect(page.items.map((i) => [i.seq, i.tenantId, i.action])).toEqual([
      [1, null, 'auth.token.rejected'],
      [2, null, 'auth.login.failed'],
      [3, null, 'auth.login.failed'],
    ]);
    expect(page.items[2]?.sensitive).toEqual({ email: 'ada@example.com' });
  });

  it('verifies the no-tenant chain', async () => {
    expect(await t.sys.verify({ tenantId: null })).toEqual({
      ok: true,
      checked: 3,
      firstBadSeq: null,
      reason: null,
    });
    expect(await t.sys.head({ tenantId: null })).toMatchObject({ seq: 3 });
  });

  it('keeps no-tenant events out of every tenant chain', async () => {
    const page = await t.sys.query({ tenantId: 't1' });
    expect(page.items.map((i) => [i.seq, i.tenantId])).toEqual([[1, 't1']]);
    expect(await t.sys.verify({ tenantId: 't1' })).toMatchObject({ ok: true, checked: 1 });
  });

  it('hashes the absent tenant as JSON null, so anyone holding the rows can check them', async () => {
    const rows: StoredAuditRow[] = [];
    for await (const row of await t.sys.readRange({ tenantId: null, fromSeq: 1, toSeq: 3 }))
      rows.push(row);
    expect(rows).toHaveLength(3);
    for (const row of rows) {
      expect(row.tenantId).toBeNull();
      expect(JSON.parse(canonicalEventBytes(row).toString('utf8'))[1]).toBeNull();
      expect(computeEventHash(row)).toBe(row.hash);
    }
  });

  it('finds a modified row of the no-tenant chain', async () => {
    await t.admin(async (c) => {
      await c.query('SET session_replication_role = replica');
      await c.query(`UPDATE audit_events SET outcome = 'success' WHERE tenant_id = '' AND seq = 2`);
      await c.query('SET session_replication_role = origin');
    });
    expect(await t.sys.verify({ tenantId: null })).toMatchObject({
      ok: false,
      firstBadSeq: 2,
      reason: 'hash-mismatch',
    });
  });
});

describe('reads are fail-closed on the tenant', () => {
  let t: Awaited<ReturnType<typeof setupAudit>>;
  beforeAll(async () => {
    t = await setupAudit('audit_fail_closed');
    for (const tenantId of ['a', 'b']) await t.audit.writer.record(event(1, { tenantId }));
    await t.audit.writer.flush();
  });
  afterAll(async () => {
    await t.audit.writer.close();
    await t.dispose();
  });

  const reads = (tenantId?: string | null): Record<string, () => Promise<unknown>> => {
    const chain = tenantId === undefined ? {} : { tenantId };
    return {
      query: () => t.audit.reader.query(chain),
      verify: () => t.audit.reader.verify(chain),
      head: () => t.audit.maintenance.head(chain),
      readRange: async () => t.audit.maintenance.readRange({ ...chain, fromSeq: 1, toSeq: 1 }),
    };
  };

  it('reads the tenant of the request context', async () => {
    const page = await request('a', () => t.audit.reader.query());
    expect(page.items.map((i) => i.tenantId)).toEqual(['a']);
    expect(await request('a', () => t.audit.reader.verify())).toMatchObject({ checked: 1 });
  });

  for (const [label, tenantId] of [
    ['another tenant', 'b'],
    ['its own tenant', 'a'],
    ['the no-tenant chain', null],
  ] as const) {
    it(`refuses a request that names ${label}, in every read`, async () => {
      for (const [name, read] of Object.entries(reads(tenantId))) {
        await expect(request('a', read), name).rejects.toMatchObject({
          code: 'AUDIT_TENANT_NOT_ALLOWED',
          status: 500,
          issues: [{ path: 'tenantId' }],
        });
      }
    });
  }

  it('refuses to name a chain outside any context or in a test context', async () => {
    await expect(reads('b').query!()).rejects.toMatchObject({ code: 'AUDIT_TENANT_NOT_ALLOWED' });
    const test = createRequestContext({ source: 'test' });
    await expect(runWithContext(test, reads('b').verify!)).rejects.toMatchObject({
      code: 'AUDIT_TENANT_NOT_ALLOWED',
    });
  });

  it('refuses to read when no tenant is known instead of reading the no-tenant chain', async () => {
    for (const read of Object.values(reads())) {
      await expect(request(undefined, read)).rejects.toMatchObject({
        code: 'AUDIT_TENANT_REQUIRED',
      });
      await expect(read()).rejects.toMatchObject({ code: 'AUDIT_TENANT_REQUIRED' });
      await expect(runJob('no-tenant', read)).rejects.toMatchObject({
        code: 'AUDIT_TENANT_REQUIRED',
      });
    }
  });

  it('lets a job or a CLI command name any chain', async () => {
    const job = await runJob('audit-report', () => t.audit.reader.query({ tenantId: 'b' }));
    expect(job.items.map((i) => i.tenantId)).toEqual(['b']);
    expect(await runCli('audit-verify', reads('a').verify!)).toMatchObject({ ok: true });
    expect(await runCli('audit-verify', reads(null).verify!)).toMatchObject({ checked: 0 });
    expect(
      await runJob('tenant-job', () => t.audit.maintenance.head(), { tenantId: 'a' }),
    ).toMatchObject({ seq: 1 });
  });

  it('rejects a named chain that is not a tenant id', async () => {
    for (const tenantId of ['', 'x'.repeat(129), 'a\nb', 5]) {
      await expect(
        asSystem(() => t.audit.reader.verify({ tenantId: tenantId as never })),
      ).rejects.toMatchObject({ code: 'INVALID_OPTIONS', issues: [{ path: 'tenantId' }] });
    }
  });
});
