import { AsyncResource } from 'node:async_hooks';
import type { Database } from '@plinth/db-repository';
import { invalidOptions } from '@plinth/errors';
import { appendEvents } from './append.js';
import { createBatchWriter } from './batch-writer.js';
import type { AuditWriter } from './log-types.js';
import { type PreparedEvent, prepareEvent } from './prepare-event.js';
import { MODES, type resolveSettings } from './settings.js';

/** The write side of a log: validation, the transactional path and the batch queue. */
export function createWriter(
  db: Database,
  s: ReturnType<typeof resolveSettings>,
  ensureMonth: (at: Date) => Promise<void>,
): AuditWriter {
  // The writer runs in the async context of createAuditLog, so an ambient transaction (or
  // request context) of whoever triggered a flush never leaks into the writer's own transactions.
  const scope = new AsyncResource('plinth.audit.writer');
  const queue = createBatchWriter({
    ...s,
    detach: (fn) => scope.runInAsyncScope(fn),
    async write(events: PreparedEvent[], attempt: number) {
      const now = new Date();
      await ensureMonth(now);
      await db.transaction(() => appendEvents(db, events, now, attempt > 0), { retries: 0 });
    },
  });

  return Object.freeze({
    async record(event, options) {
      const mode = options?.mode ?? s.mode;
      if (!MODES.has(mode))
        throw invalidOptions('record', {
          path: 'mode',
          message: 'must be auto, batched or transactional',
        });
      const prepared = prepareEvent(event, s);
      const inTx = db.inTransaction();
      if (mode === 'transactional' && !inTx)
        throw invalidOptions(
          'record',
          { path: 'mode', message: "is 'transactional' but no db.transaction is active" },
          { code: 'AUDIT_NO_TRANSACTION' },
        );
      if (!inTx || mode === 'batched') return queue.push(prepared);
      const now = new Date();
      await ensureMonth(now);
      await appendEvents(db, [prepared], now);
    },
    flush: () => queue.flush(),
    close: () => queue.close(),
  } satisfies AuditWriter);
}
