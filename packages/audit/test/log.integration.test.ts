import { type AuditLogOptions, type AuditWriter, createAuditLog } from '@plinth/audit';
import { isAppError } from '@plinth/errors';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { event, setupAudit, systemView } from './helpers.js';

describe('createAuditLog', () => {
  let t: Awaited<ReturnType<typeof setupAudit>>;
  beforeAll(async () => {
    t = await setupAudit('audit_log_parts');
  });
  afterAll(async () => {
    await t.audit.writer.close();
    await t.dispose();
  });

  it('hands out a writer, a reader and a maintenance part that expose only their own methods', () => {
    const { writer, reader, maintenance } = t.audit;
    expect(Object.keys(writer).sort()).toEqual(['close', 'flush', 'record']);
    expect(Object.keys(reader).sort()).toEqual(['query', 'verify']);
    expect(Object.keys(maintenance).sort()).toEqual([
      'dropPartitionsBefore',
      'ensurePartitions',
      'head',
      'listPartitions',
      'migrate',
      'readRange',
    ]);
    for (const part of [t.audit, writer, reader, maintenance])
      expect(Object.isFrozen(part)).toBe(true);
  });

  it('records through a writer handed on alone', async () => {
    const handOn = (w: AuditWriter) => w.record(event(1, { tenantId: 'handed' }));
    await handOn(t.audit.writer);
    await t.audit.writer.flush();
    expect(await t.sys.verify({ tenantId: 'handed' })).toMatchObject({ ok: true, checked: 1 });
  });

  it('reports every option that would misbehave in one 500 INVALID_OPTIONS, without values', () => {
    const options = {
      db: t.db,
      mode: 'transactonal',
      onError: 'log it',
      batch: { maxSize: Number.NaN, maxQueue: 0, maxDelayMs: -1 },
      retry: { maxAttempts: 0, baseDelayMs: 1.5, maxDelayMs: 10_000_000 },
      maxMetadataBytes: 1,
      maxSensitiveBytes: 1 << 30,
      minRetentionDays: 0,
    } as unknown as AuditLogOptions;
    let err: unknown;
    try {
      createAuditLog(options);
    } catch (e) {
      err = e;
    }
    expect(isAppError(err)).toBe(true);
    expect(err).toMatchObject({ status: 500, code: 'INVALID_OPTIONS', expose: false });
    expect((err as { issues: { path: string }[] }).issues.map((i) => i.path)).toEqual([
      'mode',
      'onError',
      'batch.maxSize',
      'batch.maxQueue',
      'batch.maxDelayMs',
      'retry.maxAttempts',
      'retry.baseDelayMs',
      'retry.maxDelayMs',
      'maxMetadataBytes',
      'maxSensitiveBytes',
      'minRetentionDays',
    ]);
    expect(JSON.stringify(err)).not.toContain('log it');
  });

  it('refuses to be created inside db.transaction, whose connection the writer would capture', async () => {
    await expect(t.db.transaction(async () => createAuditLog({ db: t.db }))).rejects.toMatchObject({
      code: 'INVALID_OPTIONS',
    });
  });

  it('refuses a mode typo on a single record instead of silently batching', async () => {
    await expect(
      t.audit.writer.record(event(2), { mode: 'transactonal' as never }),
    ).rejects.toMatchObject({ code: 'INVALID_OPTIONS', issues: [{ path: 'mode' }] });
  });

  it('refuses to decrypt without a cipher, naming the missing option', async () => {
    await t.audit.writer.record(event(3, { tenantId: 'pii', sensitive: { email: 'a@b.c' } }));
    await t.audit.writer.flush();
    const bare = createAuditLog({ db: t.db });
    const page = await systemView(bare).query({ tenantId: 'pii' });
    expect(page.items[0]?.hasSensitive).toBe(true);
    await expect(systemView(bare).query({ tenantId: 'pii', decrypt: true })).rejects.toMatchObject({
      code: 'AUDIT_CIPHER_MISSING',
      status: 500,
    });
    await bare.writer.close();
  });
});
