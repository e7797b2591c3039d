import { createAuditLog } from '@plinth/audit';
import { createRequestContext, runWithContext } from '@plinth/context';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setupAudit } from './helpers.js';

describe('record, query and verify (batched)', () => {
  let t: Awaited<ReturnType<typeof setupAudit>>;
  beforeAll(async () => {
    t = await setupAudit('audit_record');
  });
  afterAll(async () => {
    await t.audit.writer.close();
    await t.dispose();
  });

  it('stores an event with actor, tenant and correlation id from the request context', async () => {
    const ctx = createRequestContext({
      tenantId: 'ctx-tenant',
      correlationId: 'corr-1',
      principal: { id: 'user-9', type: 'user' },
      ip: '203.0.113.9',
      userAgent: 'curl/8.0',
    });
    await runWithContext(ctx, () =>
      t.audit.writer.record({
        action: 'client.created',
        outcome: 'success',
        resource: { type: 'client', id: 42 },
      }),
    );
    await t.audit.writer.flush();
    const page = await t.sys.query({ tenantId: 'ctx-tenant' });
    expect(page.items).toHaveLength(1);
    expect(page.items[0]).toMatchObject({
      tenantId: 'ctx-tenant',
      seq: 1,
      action: 'client.created',
      outcome: 'success',
      actor: { id: 'user-9', type: 'user' },
      resource: { type: 'client', id: '42' },
      correlationId: 'corr-1',
      requestId: ctx.requestId,
      ip: '203.0.113.9',
      userAgent: 'curl/8.0',
      hasSensitive: false,
    });
    expect(await t.sys.verify({ tenantId: 'ctx-tenant' })).toEqual({
      ok: true,
      checked: 1,
      firstBadSeq: null,
      reason: null,
    });
  });

  it('redacts secrets in metadata before they are stored', async () => {
    await t.audit.writer.record({
      tenantId: 'meta',
      action: 'auth.login.succeeded',
      outcome: 'success',
      metadata: { method: 'password', password: 'hunter2', nested: { apiKey: 'k-123' } },
    });
    await t.audit.writer.flush();
    const [item] = (await t.sys.query({ tenantId: 'meta' })).items;
    expect(item?.metadata).toEqual({
      method: 'password',
      password: '[redacted]',
      nested: { apiKey: '[redacted]' },
    });
    const raw = await t.admin((c) =>
      c.query(`SELECT metadata FROM audit_events WHERE tenant_id = 'meta'`),
    );
    expect(JSON.stringify(raw.rows)).not.toContain('hunter2');
  });

  it('stores one row when the same id is recorded twice', async () => {
    const id = 'evt-dup-1';
    await t.audit.writer.record({
      id,
      tenantId: 'dup',
      action: 'client.deleted',
      outcome: 'success',
    });
    await t.audit.writer.record({
      id,
      tenantId: 'dup',
      action: 'client.deleted',
      outcome: 'success',
    });
    await t.audit.writer.flush();
    await t.audit.writer.record({
      id,
      tenantId: 'dup',
      action: 'client.deleted',
      outcome: 'success',
    });
    await t.audit.writer.flush();
    const page = await t.sys.query({ tenantId: 'dup' });
    expect(page.items.map((i) => i.id)).toEqual([id]);
    expect((await t.sys.verify({ tenantId: 'dup' })).ok).toBe(true);
  });

  it('keeps sensitive fields as ciphertext in the table and decrypts them only when asked', async () => {
    await t.audit.writer.record({
      id: 'evt-pii',
      tenantId: 'pii',
      action: 'client.viewed',
      outcome: 'success',
      sensitive: { email: 'ada@example.com' },
    });
    await t.audit.writer.flush();
    const raw = await t.admin((c) =>
      c.query(`SELECT sensitive FROM audit_events WHERE id = 'evt-pii'`),
    );
    const stored = String(raw.rows[0]?.sensitive);
    expect(stored).toMatch(/^pl1\.k1\./);
    expect(stored).not.toContain('ada@example.com');

    const plain = await t.sys.query({ tenantId: 'pii' });
    expect(plain.items[0]?.hasSensitive).toBe(true);
    expect(plain.items[0]?.sensitive).toBeUndefined();
    const decrypted = await t.sys.query({ tenantId: 'pii', decrypt: true });
    expect(decrypted.items[0]?.sensitive).toEqual({ email: 'ada@example.com' });
  });

  it('keeps a Date in sensitive data as its ISO string instead of an empty object', async () => {
    await t.audit.writer.record({
      id: 'evt-dob',
      tenantId: 'pii-date',
      action: 'client.viewed',
      outcome: 'success',
      sensitive: { dob: new Date('1990-05-01T00:00:00.000Z') },
    });
    await t.audit.writer.flush();
    const page = await t.sys.query({ tenantId: 'pii-date', decrypt: true });
    expect(page.items[0]?.sensitive).toEqual({ dob: '1990-05-01T00:00:00.000Z' });
  });

  it('rejects sensitive data JSON would mangle or cannot serialise, naming the path', async () => {
    const cyclic: Record<string, unknown> = { a: 1 };
    cyclic.self = cyclic;
    const cases: [Record<string, unknown>, string][] = [
      [cyclic, 'sensitive.self'],
      [{ n: 10n }, 'sensitive.n'],
      [{ tags: new Set(['a']) }, 'sensitive.tags'],
      [{ list: [1, new Map()] }, 'sensitive.list.1'],
      [{ score: Number.NaN }, 'sensitive.score'],
      [{ when: new Date(Number.NaN) }, 'sensitive.when'],
    ];
    for (const [sensitive, path] of cases) {
      await expect(
        t.audit.writer.record({ tenantId: 'x', action: 'a.b', outcome: 'success', sensitive }),
      ).rejects.toMatchObject({
        code: 'AUDIT_EVENT_INVALID',
        errors: [expect.objectContaining({ path })],
      });
    }
  });

  it('refuses sensitive data when the log has no cipher', async () => {
    const bare = createAuditLog({ db: t.db });
    await expect(
      bare.writer.record({
        tenantId: 'x',
        action: 'a.b',
        outcome: 'success',
        sensitive: { ssn: '1' },
      }),
    ).rejects.toMatchObject({ code: 'AUDIT_CIPHER_MISSING' });
    await bare.writer.close();
  });
});
