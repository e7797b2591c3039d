import { invalidOptions, type OptionIssueInput, requireOptionsObject } from '@plinth/errors';
import { AUDIT_DEFAULTS, MAX_BATCH_SIZE } from './defaults.js';
import type { AuditLogOptions, AuditMode } from './log-types.js';

export const MODES: ReadonlySet<AuditMode> = new Set(['auto', 'batched', 'transactional']);

/**
 * `createAuditLog`'s options with defaults applied. Checks only what would otherwise
 * misbehave quietly or later: a `db` or `cipher` without the methods called, a mode typo (silently batching), a non-function `onError` (failures
 * reported nowhere), numbers out of range (NaN sizes stall the writer). One
 * `INVALID_OPTIONS` error lists every problem.
 */
export function resolveSettings(options: AuditLogOptions) {
  requireOptionsObject(options, 'createAuditLog', 'a db');
  const issues: OptionIssueInput[] = [];
  // Shapes checked once here, not per record: a JavaScript caller or `any`-typed config would
  // otherwise fail on the first event (or the first one with `sensitive`) with a TypeError.
  const { db, cipher } = options as unknown as { db?: Record<string, unknown>; cipher?: unknown };
  if (!['query', 'transaction', 'inTransaction'].every((m) => typeof db?.[m] === 'function'))
    issues.push({ path: 'db', message: 'must be a Database from @plinth/db-repository' });
  const c = cipher as { encrypt?: unknown; decrypt?: unknown } | null | undefined;
  if (cipher !== undefined && (typeof c?.encrypt !== 'function' || typeof c.decrypt !== 'function'))
    issues.push({ path: 'cipher', message: 'must have encrypt and decrypt methods' });
  const int = (path: string, fallback: number, min: number, max: number) => {
    const value = path
      .split('.')
      .reduce<unknown>((o, k) => (o as Record<string, unknown>)?.[k], options);
    if (value === undefined) return fallback;
    if (!Number.isInteger(value) || (value as number) < min || (value as number) > max)
      issues.push({ path, message: `must be an integer from ${min} to ${max}` });
    return value as number;
  };
  const d = AUDIT_DEFAULTS;
  const mode = options.mode ?? d.mode;
  if (!MODES.has(mode))
    issues.push({ path: 'mode', message: 'must be auto, batched or transactional' });
  if (options.onError !== undefined && typeof options.onError !== 'function')
    issues.push({ path: 'onError', message: 'must be a function' });
  const maxSize = int('batch.maxSize', d.batchMaxSize, 1, MAX_BATCH_SIZE);
  const settings = {
    cipher: options.cipher,
    onError: options.onError,
    userAgentMaxLength: d.userAgentMaxLength,
    mode,
    maxSize,
    maxQueue: int('batch.maxQueue', Math.max(d.maxQueue, maxSize), 1, 10_000_000),
    maxDelayMs: int('batch.maxDelayMs', d.batchMaxDelayMs, 0, 60_000),
    maxAttempts: int('retry.maxAttempts', d.retryMaxAttempts, 1, 100),
    retryBaseDelayMs: int('retry.baseDelayMs', d.retryBaseDelayMs, 0, 60_000),
    retryMaxDelayMs: int('retry.maxDelayMs', d.retryMaxDelayMs, 0, 600_000),
    maxMetadataBytes: int('maxMetadataBytes', d.maxMetadataBytes, 256, 1 << 20),
    maxSensitiveBytes: int('maxSensitiveBytes', d.maxSensitiveBytes, 256, 1 << 22),
    minRetentionDays: int('minRetentionDays', d.minRetentionDays, 1, 100_000),
  };
  if (issues.length > 0) throw invalidOptions('createAuditLog', issues);
  return settings;
}
