/**
 * Every default of `createAuditLog`, in one place.
 *
 * @example
 * ```ts
 * import { AUDIT_DEFAULTS } from '@plinth/audit';
 *
 * AUDIT_DEFAULTS.batchMaxSize; // 500
 * ```
 */
export const AUDIT_DEFAULTS = Object.freeze({
  mode: 'auto' as const,
  batchMaxSize: 500,
  batchMaxDelayMs: 20,
  maxQueue: 10_000,
  retryMaxAttempts: 8,
  retryBaseDelayMs: 100,
  retryMaxDelayMs: 5_000,
  maxMetadataBytes: 16 * 1024,
  maxSensitiveBytes: 64 * 1024,
  minRetentionDays: 365,
  /** Monthly partitions kept ready beyond the current month. */
  partitionsAhead: 2,
  queryLimit: 50,
  queryMaxLimit: 1_000,
  userAgentMaxLength: 512,
});

/** Hard ceiling for `batch.maxSize`: one INSERT binds 17 arrays, so this bounds statement size, not parameters. */
export const MAX_BATCH_SIZE = 5_000;
