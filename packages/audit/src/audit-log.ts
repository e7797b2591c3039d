import { AsyncResource } from 'node:async_hooks';
import type { Database } from '@plinth/db-repository';
import { sql } from '@plinth/db-repository';
import { appendEvents } from './append.js';
import { createBatchWriter } from './batch-writer.js';
import { AUDIT_DEFAULTS, MAX_BATCH_SIZE } from './defaults.js';
import { usageError } from './errors.js';
import { GENESIS_HASH } from './hash.js';
import { migrateAudit } from './migrate.js';
import {
  dropPartitionsBefore,
  ensurePartitions,
  listPartitions,
  monthStart,
} from './partitions.js';
import { type PreparedEvent, prepareEvent } from './prepare-event.js';
import { queryEvents } from './query.js';
import type { AuditLog, AuditLogOptions, AuditMode } from './types.js';
import { checkRange, readRows, verifyChain } from './verify.js';

const MODES = new Set<AuditMode>(['auto', 'batched', 'transactional']);

function int(name: string, value: unknown, fallback: number, min: number, max: number): number {
  if (value === undefined) return fallback;
  if (!Number.isInteger(value) || (value as number) < min || (value as number) > max)
    throw usageError(
      `createAuditLog: ${name} must be an integer from ${min} to ${max}`,
      'AUDIT_CONFIG_INVALID',
    );
  return value as number;
}

function isDatabase(db: unknown): db is Database {
  const d = db as Partial<Database> | null;
  return (
    typeof d === 'object' &&
    d !== null &&
    typeof d.query === 'function' &&
    typeof d.transaction === 'function' &&
    typeof d.inTransaction === 'function'
  );
}

/**
 * Creates an audit log on a @plinth/db-repository Database. Call `migrate()` once at
 * start-up (or from your migration job), `record()` on every auditable action and
 * `close()` on shutdown (before closing the database).
 *
 * @example
 * ```ts
 * import { createAuditLog } from '@plinth/audit';
 *
 * const audit = createAuditLog({ db, cipher, onError: (err, f) => logger.error({ err, ids: f.ids }) });
 * await audit.migrate();
 * await audit.record({ action: 'client.created', outcome: 'success', resource: { type: 'client', id } });
 * await audit.close();
 * ```
 */
export function createAuditLog(options: AuditLogOptions): AuditLog {
  if (typeof options !== 'object' || options === null)
    throw usageError('createAuditLog: options { db } are required', 'AUDIT_CONFIG_INVALID');
  const { db, cipher } = options;
  if (!isDatabase(db))
    throw usageError(
      'createAuditLog: db must be a @plinth/db-repository Database',
      'AUDIT_CONFIG_INVALID',
    );
  if (db.inTransaction())
    throw usageError(
      'createAuditLog must not be called inside db.transaction',
      'AUDIT_CONFIG_INVALID',
    );
  if (
    cipher !== undefined &&
    (typeof cipher?.encrypt !== 'function' || typeof cipher?.decrypt !== 'function')
  )
    throw usageError(
      'createAuditLog: cipher must have encrypt() and decrypt()',
      'AUDIT_CONFIG_INVALID',
    );
  const mode = options.mode ?? AUDIT_DEFAULTS.mode;
  if (!MODES.has(mode))
    throw usageError(
      'createAuditLog: mode must be auto, batched or transactional',
      'AUDIT_CONFIG_INVALID',
    );
  if (options.onError !== undefined && typeof options.onError !== 'function')
    throw usageError('createAuditLog: onError must be a function', 'AUDIT_CONFIG_INVALID');
  const b = options.batch ?? {};
  const r = options.retry ?? {};
  const maxSize = int('batch.maxSize', b.maxSize, AUDIT_DEFAULTS.batchMaxSize, 1, MAX_BATCH_SIZE);
  const maxQueue = int(
    'batch.maxQueue',
    b.maxQueue,
    Math.max(AUDIT_DEFAULTS.maxQueue, maxSize),
    maxSize,
    10_000_000,
  );
  const settings = {
    cipher,
    maxMetadataBytes: int(
      'maxMetadataBytes',
      options.maxMetadataBytes,
      AUDIT_DEFAULTS.maxMetadataBytes,
      256,
      1 << 20,
    ),
    maxSensitiveBytes: int(
      'maxSensitiveBytes',
      options.maxSensitiveBytes,
      AUDIT_DEFAULTS.maxSensitiveBytes,
      256,
      1 << 22,
    ),
    userAgentMaxLength: AUDIT_DEFAULTS.userAgentMaxLength,
  };
  const minRetentionDays = int(
    'minRetentionDays',
    options.minRetentionDays,
    AUDIT_DEFAULTS.minRetentionDays,
    1,
    100_000,
  );

  // Months whose partition is known to exist in this process.
  const readyMonths = new Set<number>();
  async function ensureMonth(at: Date) {
    const key = monthStart(at).getTime();
    if (readyMonths.has(key)) return;
    await ensurePartitions(db, at, 1 + AUDIT_DEFAULTS.partitionsAhead);
    for (let i = 0; i <= AUDIT_DEFAULTS.partitionsAhead; i++)
      readyMonths.add(monthStart(at, i).getTime());
  }

  // The writer runs in the async context of this call, so an ambient transaction (or request
  // context) of whoever triggered a flush never leaks into the writer's own transactions.
  const scope = new AsyncResource('plinth.audit.writer');
  const writer = createBatchWriter({
    maxSize,
    maxQueue,
    maxDelayMs: int('batch.maxDelayMs', b.maxDelayMs, AUDIT_DEFAULTS.batchMaxDelayMs, 0, 60_000),
    maxAttempts: int('retry.maxAttempts', r.maxAttempts, AUDIT_DEFAULTS.retryMaxAttempts, 1, 100),
    retryBaseDelayMs: int(
      'retry.baseDelayMs',
      r.baseDelayMs,
      AUDIT_DEFAULTS.retryBaseDelayMs,
      0,
      60_000,
    ),
    retryMaxDelayMs: int(
      'retry.maxDelayMs',
      r.maxDelayMs,
      AUDIT_DEFAULTS.retryMaxDelayMs,
      0,
      600_000,
    ),
    onError: options.onError,
    detach: (fn) => scope.runInAsyncScope(fn),
    async write(events: PreparedEvent[], attempt: number) {
      const now = new Date();
      await ensureMonth(now);
      await db.transaction(() => appendEvents(db, events, now, attempt > 0), { retries: 0 });
    },
  });

  async function writeInTransaction(event: PreparedEvent) {
    const now = new Date();
    await ensureMonth(now);
    await appendEvents(db, [event], now);
  }

  return {
    async record(event, recordOptions) {
      const m = recordOptions?.mode ?? mode;
      if (!MODES.has(m)) throw usageError('record: mode must be auto, batched or transactional');
      const prepared = prepareEvent(event, settings);
      const inTx = db.inTransaction();
      if (m === 'transactional' && !inTx)
        throw usageError(
          "record({ mode: 'transactional' }) must run inside db.transaction",
          'AUDIT_NO_TRANSACTION',
        );
      if (inTx && m !== 'batched') return writeInTransaction(prepared);
      return writer.push(prepared);
    },
    flush: () => writer.flush(),
    close: () => writer.close(),
    query: (filter) => queryEvents(db, cipher, filter),
    verify: (range) => verifyChain(db, range),
    async migrate() {
      const result = await migrateAudit(db);
      await ensureMonth(new Date());
      return result;
    },
    async head(tenantId) {
      checkRange({ tenantId });
      const row = await db.maybeOne<{ seq: string; hash: string }>(
        sql`SELECT seq, hash FROM audit_chain_heads WHERE tenant_id = ${tenantId}`,
      );
      return row ? { seq: Number(row.seq), hash: row.hash } : { seq: 0, hash: GENESIS_HASH };
    },
    readRange(range) {
      const { tenantId, fromSeq, toSeq } = checkRange(range);
      if (fromSeq === undefined || toSeq === undefined)
        throw usageError('readRange needs fromSeq and toSeq', 'AUDIT_RANGE_INVALID');
      return readRows(db, tenantId, fromSeq, toSeq);
    },
    ensurePartitions(o = {}) {
      const from = o?.from ?? new Date();
      if (!(from instanceof Date) || Number.isNaN(from.getTime()))
        return Promise.reject(usageError('ensurePartitions: `from` must be a valid Date'));
      return ensurePartitions(db, from, o?.months ?? 1 + AUDIT_DEFAULTS.partitionsAhead);
    },
    listPartitions: () => listPartitions(db),
    dropPartitionsBefore: (before) => dropPartitionsBefore(db, before, minRetentionDays),
  };
}
