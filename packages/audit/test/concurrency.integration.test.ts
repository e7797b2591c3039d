import { createAuditLog } from '@plinth/audit';
import { createDatabase, sql } from '@plinth/db-repository';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { embedded, NEEDS_SERVER, setupAudit } from './helpers.js';

describe('batched mode under concurrent producers', () => {
  let t: Awaited<ReturnType<typeof setupAudit>>;
  beforeAll(async () => {
    t = await setupAudit('audit_conc');
  });
  afterAll(async () => {
    await t.audit.writer.close();
    await t.dispose();
  });

  it.skipIf(embedded)(
    `stores exactly 100,000 events from 8 producers on two logs, with valid chains (${NEEDS_SERVER})`,
    async () => {
      // Two logs on two pools stand in for two processes appending to the same chains.
      const second = createDatabase({
        connectionString: t.connectionString,
        searchPath: [t.schema, 'public'],
      });
      const logs = [
        t.audit.writer,
        createAuditLog({ db: second, batch: { maxSize: 1_000 } }).writer,
      ];
      const tenants = ['alpha', 'beta'];
      const perProducer = 12_500;
      const producers = Array.from({ length: 8 }, async (_, p) => {
        const log = logs[p % 2]!;
        for (let i = 0; i < perProducer; i++) {
          await log.record({
            id: `p${p}-${i}`,
            tenantId: tenants[i % 2]!,
            action: 'document.read',
            outcome: 'success',
            actor: { id: `u${p}`, type: 'user' },
            resource: { type: 'document', id: i },
          });
        }
      });
      await Promise.all(producers);
      await Promise.all(logs.map((l) => l.close()));
      await second.close();

      const { n } = await t.db.one<{ n: string }>(sql`SELECT count(*) AS n FROM audit_events`);
      expect(Number(n)).toBe(100_000);
      for (const tenantId of tenants) {
        expect(await t.sys.verify({ tenantId })).toEqual({
          ok: true,
          checked: 50_000,
          firstBadSeq: null,
          reason: null,
        });
      }
    },
    60_000,
  );
});
