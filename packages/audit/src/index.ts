// The log and its three parts
export { createAuditLog } from './audit-log.js';
export type { AuditLog, AuditMaintenance, AuditReader, AuditWriter } from './log-types.js';

// Options and their defaults
export type {
  AuditBatchOptions,
  AuditCipher,
  AuditFailure,
  AuditLogOptions,
  AuditRetryOptions,
} from './log-types.js';
export { AUDIT_DEFAULTS } from './defaults.js';

// Events: what is recorded and read back
export type {
  AuditActor,
  AuditEvent,
  AuditOutcome,
  AuditPage,
  AuditQuery,
  AuditRecord,
  AuditResource,
  ChainSelector,
} from './types.js';

// The chain: format, stored rows, verification
export { canonicalEventBytes, computeEventHash, GENESIS_HASH } from './hash.js';
export type { StoredAuditRow, VerifyFailure, VerifyRange, VerifyResult } from './types.js';

// Write paths
export type { AuditMode, RecordOptions } from './log-types.js';

// Schema and partitions
export { MIGRATIONS_TABLE, migrationsDirectory } from './migrate.js';
export type { AuditPartition } from './log-types.js';
