import { ValidationError } from '@plinth/errors';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { event, setupAudit } from './helpers.js';

describe('query', () => {
  let t: Awaited<ReturnType<typeof setupAudit>>;
  beforeAll(async () => {
    t = await setupAudit('audit_query');
    for (let i = 1; i <= 12; i++) {
      await t.audit.writer.record(
        event(i, {
          tenantId: 'q1',
          action: i % 3 === 0 ? 'client.deleted' : 'client.updated',
          outcome: i % 4 === 0 ? 'denied' : 'success',
          actor: { id: i % 2 ? 'alice' : 'bob', type: 'user' },
          resource: { type: 'client', id: i <= 6 ? 'c-a' : 'c-b' },
          occurredAt: new Date(Date.UTC(2026, 0, i)),
        }),
      );
    }
    await t.audit.writer.record(
      event(99, { tenantId: 'q2', resource: { type: 'client', id: 'c-a' } }),
    );
    await t.audit.writer.flush();
  });
  afterAll(async () => {
    await t.audit.writer.close();
    await t.dispose();
  });

  it('pages through a tenant newest first with keyset cursors', async () => {
    const seen: number[] = [];
    let cursor: string | undefined;
    do {
      const page = await t.sys.query({ tenantId: 'q1', limit: 5, cursor });
      seen.push(...page.items.map((i) => i.seq));
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    expect(seen).toEqual([12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1]);
  });

  it('filters by actor, action, action prefix, resource, outcome and time range', async () => {
    const seqs = async (f: object) =>
      (await t.sys.query({ tenantId: 'q1', order: 'asc', ...f })).items.map((i) => i.seq);
    expect(await seqs({ actorId: 'bob' })).toEqual([2, 4, 6, 8, 10, 12]);
    expect(await seqs({ action: 'client.deleted' })).toEqual([3, 6, 9, 12]);
    expect(await seqs({ action: 'client.*', limit: 2 })).toEqual([1, 2]);
    expect(await seqs({ resourceType: 'client', resourceId: 'c-b' })).toEqual([
      7, 8, 9, 10, 11, 12,
    ]);
    expect(await seqs({ outcome: 'denied' })).toEqual([4, 8, 12]);
    expect(
      await seqs({ from: new Date(Date.UTC(2026, 0, 3)), to: '2026-01-05T00:00:00.000Z' }),
    ).toEqual([3, 4]);
  });

  it('never returns another tenant’s events, whatever the filters', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.record({
          resourceId: fc.constantFrom('c-a', 'c-b'),
          outcome: fc.constantFrom('success' as const, 'denied' as const, undefined),
          order: fc.constantFrom('asc' as const, 'desc' as const),
        }),
        async (f) => {
          const page = await t.sys.query({ tenantId: 'q2', ...f });
          expect(page.items.every((i) => i.tenantId === 'q2')).toBe(true);
        },
      ),
      { numRuns: 15 },
    );
  });

  it('rejects bad filters as a 400 listing each, without echoing them', async () => {
    const err = await t.sys
      .query({ tenantId: 'q1', action: "x'; DROP TABLE audit_events; --", limit: 5000 })
      .catch((e: ValidationError) => e);
    expect(err).toBeInstanceOf(ValidationError);
    expect((err as ValidationError).errors.map((e) => e.path)).toEqual(['action', 'limit']);
    expect(JSON.stringify(err)).not.toContain('DROP TABLE');
    await expect(t.sys.query({ tenantId: 'q1', cursor: 'not-a-cursor' })).rejects.toMatchObject({
      code: 'AUDIT_QUERY_INVALID',
    });
  });
});

describe('event validation', () => {
  let t: Awaited<ReturnType<typeof setupAudit>>;
  beforeAll(async () => {
    t = await setupAudit('audit_valid');
  });
  afterAll(async () => {
    await t.audit.writer.close();
    await t.dispose();
  });

  it('lists every problem of a bad event without echoing values', async () => {
    const err = await t.audit.writer
      .record({
        id: 'bad id with spaces',
        action: 'Created',
        outcome: 'maybe' as never,
        tenantId: 'secret-tenant\n',
        resource: { type: '1x', id: '' },
        occurredAt: 'not a date',
        metadata: [] as never,
      })
      .catch((e: ValidationError) => e);
    expect(err).toBeInstanceOf(ValidationError);
    expect((err as ValidationError).errors.map((e) => e.path)).toEqual([
      'id',
      'action',
      'outcome',
      'tenantId',
      'resource.type',
      'resource.id',
      'occurredAt',
      'metadata',
    ]);
    const text = JSON.stringify(err) + (err as Error).message;
    for (const value of ['bad id with spaces', 'secret-tenant', 'maybe', 'not a date'])
      expect(text).not.toContain(value);
  });

  it('rejects an empty tenant id instead of filing the event under no tenant', async () => {
    await expect(
      t.audit.writer.record({ tenantId: '', action: 'a.b', outcome: 'success' }),
    ).rejects.toMatchObject({
      status: 400,
      errors: [{ path: 'tenantId', code: 'invalid_format' }],
    });
  });

  it('bounds metadata size', async () => {
    await expect(
      t.audit.writer.record(event(1, { metadata: { blob: 'x'.repeat(20_000) } })),
    ).rejects.toMatchObject({ errors: [{ path: 'metadata', code: 'too_big' }] });
  });

  it('accepts any well-formed dotted action', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.stringMatching(/^[a-z][a-z0-9_]{0,8}(\.[a-z][a-z0-9_]{0,8}){1,3}$/),
        async (action) => {
          await t.audit.writer.record({ tenantId: 'fc', action, outcome: 'success' });
        },
      ),
      { numRuns: 50 },
    );
    await t.audit.writer.flush();
    expect((await t.sys.verify({ tenantId: 'fc' })).checked).toBe(50);
  });
});

describe('retention', () => {
  let t: Awaited<ReturnType<typeof setupAudit>>;
  beforeAll(async () => {
    t = await setupAudit('audit_retention', { minRetentionDays: 30 });
  });
  afterAll(async () => {
    await t.audit.writer.close();
    await t.dispose();
  });

  it('refuses to drop partitions younger than the minimum retention', async () => {
    await expect(t.audit.maintenance.dropPartitionsBefore(new Date())).rejects.toMatchObject({
      code: 'AUDIT_RETENTION_TOO_SHORT',
    });
  });

  it('drops old partitions and verify still passes on the kept chain', async () => {
    for (const [options, path] of [
      [{ from: '2020-01-01' }, 'from'],
      [{ from: new Date(Number.NaN) }, 'from'],
      [{ months: 0 }, 'months'],
    ] as const) {
      await expect(t.audit.maintenance.ensurePartitions(options as never)).rejects.toMatchObject({
        code: 'INVALID_OPTIONS',
        issues: [{ path }],
      });
    }
    await expect(
      t.audit.maintenance.dropPartitionsBefore(new Date(Number.NaN)),
    ).rejects.toMatchObject({ code: 'INVALID_OPTIONS' });
    await t.audit.maintenance.ensurePartitions({ from: new Date(Date.UTC(2020, 0, 1)), months: 2 });
    await t.admin((c) =>
      c.query(`INSERT INTO audit_events (tenant_id, seq, id, occurred_at, recorded_at, action, outcome, prev_hash, hash)
               VALUES ('r', 1, 'old', '2020-01-05Z', '2020-01-05Z', 'a.b', 'success', 'x', 'y')`),
    );
    const names = (await t.audit.maintenance.listPartitions()).map((p) => p.name);
    expect(names).toContain('audit_events_2020_01');
    expect(await t.audit.maintenance.dropPartitionsBefore(new Date(Date.UTC(2020, 2, 1)))).toEqual([
      'audit_events_2020_01',
      'audit_events_2020_02',
    ]);
    expect((await t.audit.maintenance.listPartitions()).map((p) => p.name)).not.toContain(
      'audit_events_2020_01',
    );
    for (let i = 1; i <= 3; i++) await t.audit.writer.record(event(i, { tenantId: 'kept' }));
    await t.audit.writer.flush();
    expect((await t.sys.verify({ tenantId: 'kept' })).ok).toBe(true);
  });
});
