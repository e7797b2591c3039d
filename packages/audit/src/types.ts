import type { Database } from '@plinth/db-repository';
import type { AppError } from '@plinth/errors';

/** How the event ended. */
export type AuditOutcome = 'success' | 'failure' | 'denied';

/** Who acted. Taken from the context's `principal` when not given. */
export interface AuditActor {
  id: string;
  /** `user`, `service`, … */
  type: string;
}

/** What was acted on. */
export interface AuditResource {
  /** `client`, `invoice`, … */
  type: string;
  id: string | number;
}

/** What `record()` accepts. Context fills in everything marked "from context". */
export interface AuditEvent {
  /** Idempotency key: recording the same id twice (per tenant) stores one row. Default: a fresh UUID. `[A-Za-z0-9._:-]{1,128}`. */
  id?: string;
  /** Dotted lower-case verb: `client.created`, `auth.login.failed`. */
  action: string;
  outcome: AuditOutcome;
  /** Default: the context principal (`id`, `type`); `null` records an anonymous actor. */
  actor?: AuditActor | null;
  /** Default: the context `tenantId`. Required one way or the other. */
  tenantId?: string;
  resource?: AuditResource | null;
  /** Default: from context. */
  correlationId?: string;
  /** Default: from context. */
  requestId?: string;
  /** Default: the context `ip` (set by the HTTP layer). */
  ip?: string;
  /** Default: the context `userAgent`; longer values are cut to 512 characters. */
  userAgent?: string;
  /** Free-form details; sanitized (secrets redacted) and size-bounded. Stored in clear. */
  metadata?: Record<string, unknown>;
  /** Personal data the trail must keep: encrypted with the field cipher, bound to the event id and tenant. */
  sensitive?: Record<string, unknown>;
  /** When it happened. Default: now. */
  occurredAt?: Date | string | number;
}

/** An event as `query()` returns it. */
export interface AuditRecord {
  id: string;
  tenantId: string;
  /** Position in the tenant's chain, from 1. */
  seq: number;
  action: string;
  outcome: AuditOutcome;
  actor: AuditActor | null;
  resource: { type: string; id: string } | null;
  correlationId: string | null;
  requestId: string | null;
  ip: string | null;
  userAgent: string | null;
  metadata: Record<string, unknown> | null;
  /** True when the event carries encrypted sensitive data. */
  hasSensitive: boolean;
  /** Decrypted sensitive data; present only with `query({ decrypt: true })`. */
  sensitive?: Record<string, unknown>;
  occurredAt: Date;
  /** When the row was written (partition key). */
  recordedAt: Date;
  prevHash: string;
  hash: string;
}

/** A row exactly as stored and hashed; the unit of archives and of `computeEventHash`. */
export interface StoredAuditRow {
  tenantId: string;
  /** Chain position, decimal. */
  seq: number;
  id: string;
  /** ISO 8601, UTC, milliseconds (`toISOString()` form). */
  occurredAt: string;
  recordedAt: string;
  action: string;
  outcome: AuditOutcome;
  actorId: string | null;
  actorType: string | null;
  resourceType: string | null;
  resourceId: string | null;
  correlationId: string | null;
  requestId: string | null;
  ip: string | null;
  userAgent: string | null;
  /** Canonical JSON text (sorted keys) of the sanitized metadata. */
  metadata: string | null;
  /** `pl1.…` field-cipher ciphertext. */
  sensitive: string | null;
  prevHash: string;
  hash: string;
}

/** Filter of `query()`. */
export interface AuditQuery {
  /** Required (or from context). Results never cross tenants. */
  tenantId?: string;
  actorId?: string;
  /** Exact action, or a prefix ending in `.*` (`client.*`). */
  action?: string;
  resourceType?: string;
  resourceId?: string | number;
  outcome?: AuditOutcome;
  /** `occurredAt >= from`. */
  from?: Date | string | number;
  /** `occurredAt < to`. */
  to?: Date | string | number;
  /** Page size, 1–1000. Default 50. */
  limit?: number;
  /** `nextCursor` of the previous page. */
  cursor?: string;
  /** `desc` (newest first, default) or `asc` by `seq`. */
  order?: 'asc' | 'desc';
  /** Decrypt `sensitive`. Default false: the ciphertext never leaves the store. */
  decrypt?: boolean;
}

/** One page of `query()`. */
export interface AuditPage {
  items: AuditRecord[];
  /** Pass as `cursor` for the next page; `null` on the last page. */
  nextCursor: string | null;
}

/** Range of `verify()`. */
export interface VerifyRange {
  tenantId: string;
  /** Default 1 (or the first row kept after retention). */
  fromSeq?: number;
  /** Default: the chain head. */
  toSeq?: number;
}

/** Why `verify()` failed. */
export type VerifyFailure =
  | 'hash-mismatch'
  | 'prev-hash-mismatch'
  | 'seq-gap'
  | 'seq-duplicate'
  | 'head-mismatch';

/** Result of `verify()`. */
export interface VerifyResult {
  ok: boolean;
  /** Rows checked. */
  checked: number;
  /** First position that does not verify; `null` when ok. */
  firstBadSeq: number | null;
  /** `null` when ok. */
  reason: VerifyFailure | null;
}

/** The parts of a field cipher the log uses; `createFieldCipher()` from @plinth/crypto fits. */
export interface AuditCipher {
  encrypt(plaintext: string, context: Readonly<Record<string, string>>): string;
  decrypt(ciphertext: string, context: Readonly<Record<string, string>>): string;
}

/** What `onError` receives with a permanently failed batch. */
export interface AuditFailure {
  /** Ids of the events that were not stored. */
  ids: string[];
  /** Their tenants, in the same order. */
  tenantIds: string[];
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

/** A tamper-evident, append-only audit trail. */
export interface AuditLog {
  /**
   * Validates and records an event. Batched: resolves once queued (waits while the queue is
   * full). Transactional: resolves once written in the ambient transaction.
   */
  record(event: AuditEvent, options?: RecordOptions): Promise<void>;
  /** Writes everything queued so far; rejects if events failed permanently since the last report. */
  flush(): Promise<void>;
  /** Stops accepting events and drains the queue; rejects like `flush`. Idempotent. */
  close(): Promise<void>;
  query(filter: AuditQuery): Promise<AuditPage>;
  verify(range: VerifyRange): Promise<VerifyResult>;
  /** Installs or upgrades the schema (idempotent) and creates the partitions ahead. */
  migrate(): Promise<{ applied: string[] }>;
  /** Chain tip of a tenant: `{ seq: 0 }` before the first event. Store it elsewhere to anchor the chain. */
  head(tenantId: string): Promise<{ seq: number; hash: string }>;
  /** Stored rows of a closed range in seq order (archives, external verification). */
  readRange(range: {
    tenantId: string;
    fromSeq: number;
    toSeq: number;
  }): AsyncIterable<StoredAuditRow>;
  /** Creates the monthly partitions from `from`'s month through `months` months ahead. */
  ensurePartitions(options?: { from?: Date; months?: number }): Promise<string[]>;
  /** Monthly partitions and their UTC ranges, oldest first. */
  listPartitions(): Promise<AuditPartition[]>;
  /** Drops partitions whose whole range ends on or before `before`; refuses anything younger than `minRetentionDays`. */
  dropPartitionsBefore(before: Date): Promise<string[]>;
}

/** One monthly partition. */
export interface AuditPartition {
  name: string;
  from: Date;
  to: Date;
}
