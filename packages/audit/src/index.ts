export { createAuditLog } from './audit-log.js';
export { AUDIT_DEFAULTS } from './defaults.js';
export { canonicalEventBytes, computeEventHash, GENESIS_HASH } from './hash.js';
export { MIGRATIONS_TABLE, migrationsDirectory } from './migrate.js';
export type {
  AuditActor,
  AuditBatchOptions,
  AuditCipher,
  AuditEvent,
  AuditFailure,
  AuditLog,
  AuditLogOptions,
  AuditMode,
  AuditOutcome,
  AuditPage,
  AuditPartition,
  AuditQuery,
  AuditRecord,
  AuditResource,
  AuditRetryOptions,
  RecordOptions,
  StoredAuditRow,
  VerifyFailure,
  VerifyRange,
  VerifyResult,
} from './types.js';
