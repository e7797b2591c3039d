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
  /**
   * Default: the context `tenantId`. `null`, or no tenant in either place, records the event in
   * the no-tenant chain (a failed login, a rejected token: no tenant is known yet).
   */
  tenantId?: string | null;
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
  /** `null` for an event of the no-tenant chain. */
  tenantId: string | null;
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
  /** `null` in the no-tenant chain (hashed as JSON `null`). */
  tenantId: string | null;
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

/**
 * Which chain a read addresses. Omit `tenantId` to read the context's tenant (the only choice
 * in a request). Inside `runJob`/`runCli` (a system context) a tenant id may be named, and
 * `null` names the no-tenant chain; elsewhere naming one throws `AUDIT_TENANT_NOT_ALLOWED`.
 *
 * @example
 * ```ts
 * import type { ChainSelector } from '@plinth/audit';
 *
 * const noTenant: ChainSelector = { tenantId: null }; // runJob('verify', () => audit.reader.verify(noTenant))
 * ```
 */
export interface ChainSelector {
  tenantId?: string | null;
}

/** Filter of `query()`. Results never cross chains. */
export interface AuditQuery extends ChainSelector {
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
export interface VerifyRange extends ChainSelector {
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
