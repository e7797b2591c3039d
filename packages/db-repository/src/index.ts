export { createDatabase } from './database.js';
export type { Database, PoolLike } from './database-types.js';
export type { DatabaseConfigLike } from './from-config.js';
export { databaseOptionsFromConfig } from './from-config.js';
export { escapeLike } from './like.js';
export { isRetryableTransactionError, mapPgError } from './map-pg-error.js';
export type { MigrateOptions, MigrateResult } from './migrate.js';
export { migrate } from './migrate.js';
export type { PgErrorRule } from './pg-error-table.js';
export { PG_ERROR_TABLE } from './pg-error-table.js';
export { createRepository } from './repository.js';
export { toSnakeCase } from './repository-model.js';
export type {
  CreateInput,
  FieldFilter,
  FieldOperators,
  FindManyOptions,
  ManagedKey,
  OrderBy,
  Page,
  Repository,
  RepositoryOptions,
  UpdatePatch,
  Where,
} from './repository-types.js';
export { verifyRowLevelSecurity } from './rls.js';
export type { SqlQuery, SqlTag } from './sql.js';
export { isSqlQuery, sql } from './sql.js';
export type {
  DatabaseOptions,
  LoggerLike,
  PoolOptions,
  QueryResult,
  SpanLike,
  TracerLike,
  TransactionOptions,
} from './types.js';
export { DATABASE_DEFAULTS } from './types.js';
