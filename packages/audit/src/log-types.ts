import type { Database } from '@plinth/db-repository';
import type { AppError } from '@plinth/errors';
import type {
  AuditEvent,
  AuditPage,
  AuditQuery,
  ChainSelector,
  StoredAuditRow,
  VerifyRange,
  VerifyResult,
} from './types.js';

/** The parts of a field cipher the log uses; `createFieldCipher()` from @plinth/crypto fits. */
export interface AuditCipher {
  encrypt(plaintext: string, context: Readonly<Record<string, string>>): string;
  decrypt(ciphertext: string, context: Readonly<Record<string, string>>): string;
}

/** What `onError` receives with a permanently failed batch. */
export interface AuditFailure {
  /** Ids of the events that were not stored. */
  ids: string[];
  /** Their tenants, in the same order (`null`: the no-tenant chain). */
  tenantIds: (string | null)[];
}

/** Batch writer settings; defaults in {@link AUDIT_DEFAULTS}. */
export interface AuditBatchOptions {
  /** Events per INSERT. */
  maxSize?: number;
  /** Wait this long for more events before writing a partial batch. */
  maxDelayMs?: number;
  /** Queued plus in-flight events; `record()` waits beyond this (backpressure). */
  maxQueue?: number;
}

/** Retry settings for transient write failures; defaults in {@link AUDIT_DEFAULTS}. */
export interface AuditRetryOptions {
  /** Attempts per batch, including the first. */
  maxAttempts?: number;
  baseDelayMs?: number;
  maxDelayMs?: number;
}

/** Write path. */
export type AuditMode = 'auto' | 'batched' | 'transactional';

/** Options of `createAuditLog`. */
export interface AuditLogOptions {
  /** A @plinth/db-repository Database. */
  db: Database;
  /** Field cipher for `sensitive`. Without it, events with `sensitive` are refused. */
  cipher?: AuditCipher;
  /**
   * `auto` (default): inside `db.transaction` the event is written in that transaction,
   * otherwise it is batched. `batched`: always queued (survives a rollback).
   * `transactional`: requires an ambient transaction.
   */
  mode?: AuditMode;
  batch?: AuditBatchOptions;
  retry?: AuditRetryOptions;
  /** Called once per batch that could not be stored. Default: nothing (the promise still rejects). */
  onError?: (error: AppError, failure: AuditFailure) => void;
  /** Largest metadata as canonical JSON, in bytes. Default 16 KiB. */
  maxMetadataBytes?: number;
  /** Largest sensitive payload as JSON, in bytes. Default 64 KiB. */
  maxSensitiveBytes?: number;
  /** `dropPartitionsBefore` refuses to drop data younger than this many days. Default 365. */
  minRetentionDays?: number;
}

/** Per-call options of `record()`. */
export interface RecordOptions {
  /** Overrides the log's `mode` for this event. */
  mode?: AuditMode;
}

/**
 * The write side: all an HTTP layer or a service handler needs.
 *
 * @example
 * ```ts
 * import type { AuditWriter } from '@plinth/audit';
 *
 * const deny = (audit: AuditWriter) => audit.record({ action: 'auth.token.rejected', outcome: 'denied' });
 * ```
 */
export interface AuditWriter {
  /**
   * Validates and records an event. Batched: resolves once queued (waits while the queue is
   * full). Transactional: resolves once written in the ambient transaction.
   */
  record(event: AuditEvent, options?: RecordOptions): Promise<void>;
  /** Writes everything queued so far; rejects if events failed permanently since the last report. */
  flush(): Promise<void>;
  /** Stops accepting events and drains the queue; rejects like `flush`. Idempotent. */
  close(): Promise<void>;
}

/**
 * The read side. Reads the context's tenant; see {@link ChainSelector} for naming another.
 *
 * @example
 * ```ts
 * import type { AuditReader } from '@plinth/audit';
 *
 * const trail = (audit: AuditReader, id: string) => audit.query({ resourceType: 'client', resourceId: id });
 * ```
 */
export interface AuditReader {
  /** One page of the chain's events, newest first by default. */
  query(filter?: AuditQuery): Promise<AuditPage>;
  /** Walks the chain and reports the first position that does not verify. */
  verify(range?: VerifyRange): Promise<VerifyResult>;
}

/**
 * Schema, partitions, retention and export: for start-up code and scheduled jobs.
 *
 * @example
 * ```ts
 * import type { AuditMaintenance } from '@plinth/audit';
 *
 * const monthly = (audit: AuditMaintenance) => audit.ensurePartitions({ months: 6 });
 * ```
 */
export interface AuditMaintenance {
  /** Installs or upgrades the schema (idempotent) and creates the partitions ahead. */
  migrate(): Promise<{ applied: string[] }>;
  /** Chain tip: `{ seq: 0 }` before the first event. Store it elsewhere to anchor the chain. */
  head(chain?: ChainSelector): Promise<{ seq: number; hash: string }>;
  /** Stored rows of a closed range in seq order (archives, external verification). */
  readRange(
    range: ChainSelector & { fromSeq: number; toSeq: number },
  ): AsyncIterable<StoredAuditRow>;
  /** Creates the monthly partitions from `from`'s month through `months` months ahead. */
  ensurePartitions(options?: { from?: Date; months?: number }): Promise<string[]>;
  /** Monthly partitions and their UTC ranges, oldest first. */
  listPartitions(): Promise<AuditPartition[]>;
  /** Drops partitions whose whole range ends on or before `before`; refuses anything younger than `minRetentionDays`. */
  dropPartitionsBefore(before: Date): Promise<string[]>;
}

/**
 * What `createAuditLog` returns: three separately typed parts over one store and one
 * batch queue, so each caller can be handed only the part it needs (ADR 0083).
 *
 * @example
 * ```ts
 * import { createAuditLog } from '@plinth/audit';
 *
 * const { writer, reader, maintenance } = createAuditLog({ db, cipher });
 * ```
 */
export interface AuditLog {
  readonly writer: AuditWriter;
  readonly reader: AuditReader;
  readonly maintenance: AuditMaintenance;
}

/** One monthly partition. */
export interface AuditPartition {
  name: string;
  from: Date;
  to: Date;
}
