// The log and its three parts.
export { createAuditLog } from './audit-log.js';
// Settings and their defaults.
export { AUDIT_DEFAULTS } from './defaults.js';
// The chain: format, verification, stored rows.
export { canonicalEventBytes, computeEventHash, GENESIS_HASH } from './hash.js';
export type {
  AuditBatchOptions,
  AuditCipher,
  AuditFailure,
  AuditLog,
  AuditLogOptions,
  AuditMaintenance,
  AuditMode,
  AuditPartition,
  AuditReader,
  AuditRetryOptions,
  AuditWriter,
  RecordOptions,
} from './log-types.js';
// Schema and partitions.
export { MIGRATIONS_TABLE, migrationsDirectory } from './migrate.js';
// What is recorded and read back.
export type {
  AuditActor,
  AuditEvent,
  AuditOutcome,
  AuditPage,
  AuditQuery,
  AuditRecord,
  AuditResource,
  ChainSelector,
  StoredAuditRow,
  VerifyFailure,
  VerifyRange,
  VerifyResult,
} from './types.js';
