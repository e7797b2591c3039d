import type { ZodType } from 'zod';
import type { SqlQuery } from './sql.js';
import type { QueryResult, TransactionOptions } from './types.js';

/** The parts of a `pg.Pool` health checks and tools may read. */
export interface PoolLike {
  query(text: string): Promise<unknown>;
  readonly totalCount: number;
  readonly idleCount: number;
  readonly waitingCount: number;
}

/** A PostgreSQL database: parameterised queries and ambient transactions over a `pg.Pool`. */
export interface Database {
  /** Runs `query` (inside the ambient transaction if any); rows parsed by `schema` when given. */
  query<T = Record<string, unknown>>(query: SqlQuery, schema?: ZodType<T>): Promise<QueryResult<T>>;
  /** Exactly one row; none → InternalError `DB_NO_ROW` (a 500: use `maybeOne` when absence is expected), more → `UNEXPECTED_ROW_COUNT`. */
  one<T = Record<string, unknown>>(query: SqlQuery, schema?: ZodType<T>): Promise<T>;
  /** One row or `null`; more than one → InternalError `UNEXPECTED_ROW_COUNT`. */
  maybeOne<T = Record<string, unknown>>(query: SqlQuery, schema?: ZodType<T>): Promise<T | null>;
  /** All rows (possibly none). */
  many<T = Record<string, unknown>>(query: SqlQuery, schema?: ZodType<T>): Promise<T[]>;
  /**
   * Runs `fn` in a transaction bound to async context: every query and
   * repository call inside joins it. Nested calls become savepoints; 40001 and
   * 40P01 retry the whole outermost `fn` with jittered backoff.
   */
  transaction<T>(fn: () => Promise<T>, options?: TransactionOptions): Promise<T>;
  /** True inside `transaction` on this database. */
  inTransaction(): boolean;
  /** `SELECT 1` on a pooled connection (never the ambient transaction). */
  ping(): Promise<{ latencyMs: number }>;
  /**
   * Stops new work, waits for checked-out clients up to `timeoutMs`, then
   * terminates the rest. Resolves with how many were forced. Idempotent.
   */
  close(options?: { timeoutMs?: number }): Promise<{ forced: number }>;
  /** The underlying pool (read-only use: health checks, metrics). */
  readonly pool: PoolLike;
}
