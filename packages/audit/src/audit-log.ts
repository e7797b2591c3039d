import { invalidOptions } from '@plinth/errors';
import type { AuditLog, AuditLogOptions } from './log-types.js';
import { createMaintenance } from './maintenance.js';
import { monthCache } from './partitions.js';
import { queryEvents } from './query.js';
import { resolveSettings } from './settings.js';
import { verifyChain } from './verify.js';
import { createWriter } from './writer.js';

/**
 * Creates an audit log on a @plinth/db-repository Database, as three parts: `writer`
 * (`record`, `flush`, `close`), `reader` (`query`, `verify`) and `maintenance` (`migrate`,
 * partitions, retention, export). Hand each caller only the part it needs. Call
 * `maintenance.migrate()` once at start-up, `writer.record()` on every auditable action and
 * `writer.close()` on shutdown (before closing the database).
 *
 * @example
 * ```ts
 * import { createAuditLog } from '@plinth/audit';
 *
 * const audit = createAuditLog({ db, cipher, onError: (err, f) => logger.error({ err, ids: f.ids }) });
 * await audit.maintenance.migrate();
 * await audit.writer.record({ action: 'client.created', outcome: 'success', resource: { type: 'client', id } });
 * await audit.writer.close();
 * ```
 */
export function createAuditLog(options: AuditLogOptions): AuditLog {
  const settings = resolveSettings(options);
  const { db, cipher } = options;
  if (db.inTransaction())
    throw invalidOptions('createAuditLog', 'must not be called inside db.transaction');
  const ensureMonth = monthCache(db);
  return Object.freeze({
    writer: createWriter(db, settings, ensureMonth),
    reader: Object.freeze({
      query: (filter = {}) => queryEvents(db, cipher, filter),
      verify: (range = {}) => verifyChain(db, range),
    }),
    maintenance: createMaintenance(db, settings.minRetentionDays, ensureMonth),
  });
}
