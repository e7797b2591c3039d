import { createAuditLog } from '@plinth/audit';
import type { Database } from '@plinth/db-repository';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cipher, embedded, event, NEEDS_SERVER, setupAudit, systemView } from './helpers.js';

describe('verify while events are being appended', () => {
  let t: Awaited<ReturnType<typeof setupAudit>>;
  beforeAll(async () => {
    t = await setupAudit('audit_verify_live');
    for (let i = 1; i <= 5; i++) await t.audit.writer.record(event(i, { tenantId: 'live' }));
    await t.audit.writer.flush();
  });
  afterAll(async () => {
    await t.audit.writer.close();
    await t.dispose();
  });

  it.skipIf(embedded)(
    `does not report a sound chain as tampered when an append commits between reading the head and the rows (${NEEDS_SERVER})`,
    async () => {
      // A Database whose first row read of audit_events lets another writer commit first.
      let injected = false;
      const racing = new Proxy(t.db, {
        get(target, key, receiver) {
          const value = Reflect.get(target, key, receiver);
          if (key !== 'many') return value;
          return async (...args: Parameters<Database['many']>) => {
            if (!injected && String(args[0].text).includes('FROM audit_events')) {
              injected = true;
              // batched: the writer commits on its own connection, outside verify's transaction.
              await t.audit.writer.record(event(6, { tenantId: 'live' }), { mode: 'batched' });
              await t.audit.writer.flush();
            }
            return (value as Database['many']).apply(target, args);
          };
        },
      }) as Database;
      const verifier = createAuditLog({ db: racing, cipher });
      const result = await systemView(verifier).verify({ tenantId: 'live' });
      expect(injected).toBe(true);
      expect(result).toMatchObject({ ok: true, firstBadSeq: null });
      expect(await t.sys.verify({ tenantId: 'live' })).toEqual({
        ok: true,
        checked: 6,
        firstBadSeq: null,
        reason: null,
      });
      await verifier.writer.close();
    },
  );
});
