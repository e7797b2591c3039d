// Database: connection pool, queries, transactions.
export { createDatabase } from './database.js';
export type { Database, PoolLike } from './database-types.js';
export { escapeLike } from './like.js';
// Errors.
export { mapPgError } from './map-pg-error.js';
// Migrations.
export type { MigrateOptions, MigrateResult } from './migrate.js';
export { migrate } from './migrate.js';
// Repositories.
export { createRepository } from './repository.js';
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
// Tenancy and row-level security.
export { verifyRowLevelSecurity } from './rls.js';
// Building SQL.
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
