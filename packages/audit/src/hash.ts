import { createHash } from 'node:crypto';
import type { StoredAuditRow } from './types.js';

/**
 * `prev_hash` of the first event of every chain: 64 zeros.
 *
 * @example
 * ```ts
 * import { GENESIS_HASH } from '@plinth/audit';
 *
 * const anchored = firstRow.seq === 1 && firstRow.prevHash === GENESIS_HASH;
 * ```
 */
export const GENESIS_HASH = '0'.repeat(64);

/** First element of the hashed array; a new format gets a new tag. Internal. */
export const CHAIN_FORMAT = 'plinth.audit.v1';

/**
 * The exact bytes hashed for a row: UTF-8 of `JSON.stringify` of this array
 * (strings or `null`, `seq` as a decimal string):
 * `["plinth.audit.v1", tenantId, seq, id, occurredAt, recordedAt, action, outcome,
 *   actorId, actorType, resourceType, resourceId, correlationId, requestId, ip,
 *   userAgent, metadata, sensitive, prevHash]`.
 *
 * @example
 * ```ts
 * import { canonicalEventBytes } from '@plinth/audit';
 *
 * const digest = createHash('sha256').update(canonicalEventBytes(row)).digest('hex'); // === row.hash
 * ```
 */
export function canonicalEventBytes(row: Omit<StoredAuditRow, 'hash'>): Buffer {
  return Buffer.from(
    JSON.stringify([
      CHAIN_FORMAT,
      row.tenantId,
      String(row.seq),
      row.id,
      row.occurredAt,
      row.recordedAt,
      row.action,
      row.outcome,
      row.actorId,
      row.actorType,
      row.resourceType,
      row.resourceId,
      row.correlationId,
      row.requestId,
      row.ip,
      row.userAgent,
      row.metadata,
      row.sensitive,
      row.prevHash,
    ]),
    'utf8',
  );
}

/**
 * SHA-256 (lowercase hex) of {@link canonicalEventBytes}: the `hash` column.
 * Anyone holding the rows can recompute it, which is what makes the chain checkable
 * outside this package.
 *
 * @example
 * ```ts
 * import { computeEventHash } from '@plinth/audit';
 *
 * const ok = computeEventHash(row) === row.hash;
 * ```
 */
export function computeEventHash(row: Omit<StoredAuditRow, 'hash'>): string {
  return createHash('sha256').update(canonicalEventBytes(row)).digest('hex');
}
