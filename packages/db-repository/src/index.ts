// Database: connection pool and queries
export { createDatabase } from './database.js';
export type { DatabaseOptions, PoolOptions, QueryResult } from './types.js';
export { DATABASE_DEFAULTS } from './types.js';
export type { Database, PoolLike } from './database-types.js';

// Building SQL
export type { SqlQuery, SqlTag } from './sql.js';
export { isSqlQuery, sql } from './sql.js';

// Transactions
export type { TransactionOptions } from './types.js';

// Repositories, filters and pagination
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
export { escapeLike } from './like.js';

// Row-level security
export { verifyRowLevelSecurity } from './rls.js';

// Migrations
export type { MigrateOptions, MigrateResult } from './migrate.js';
export { migrate } from './migrate.js';

// Telemetry and logging
export type { LoggerLike, SpanLike, TracerLike } from './types.js';

// Errors
export { mapPgError } from './map-pg-error.js';
