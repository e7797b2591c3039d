import type { LoggerLike } from '@plinth/internal';

export type { LoggerLike };

/** The part of an OpenTelemetry span this package uses. */
export interface SpanLike {
  setAttribute(key: string, value: string | number | boolean): unknown;
  setStatus(status: { code: number; message?: string }): unknown;
  end(): void;
}

/** The part of an OpenTelemetry `Tracer` this package uses (`trace.getTracer(…)` fits). */
export interface TracerLike {
  startSpan(
    name: string,
    options?: { kind?: number; attributes?: Record<string, string | number | boolean> },
  ): SpanLike;
}

/** Pool settings; defaults in `DATABASE_DEFAULTS`. */
export interface PoolOptions {
  /** Maximum open connections. */
  max?: number;
  /** Close a connection idle this long. */
  idleTimeoutMs?: number;
  /** Give up waiting for a free connection (or a new one) after this long. */
  connectionTimeoutMs?: number;
}

/** Options of `createDatabase`. */
export interface DatabaseOptions {
  /** `postgres://user@host:port/db`. Never logged. */
  connectionString: string;
  pool?: PoolOptions;
  /** Server-side `statement_timeout` per connection; 0 disables. */
  statementTimeoutMs?: number;
  /** Server-side `idle_in_transaction_session_timeout` per connection; 0 disables. */
  idleInTransactionTimeoutMs?: number;
  /** `application_name` shown in `pg_stat_activity`. */
  applicationName?: string;
  /** Schemas for `search_path`, set at connection start-up (each must be a plain identifier). */
  searchPath?: readonly string[];
  /** Receives pool errors and slow-query warnings. Without it those go nowhere (never to stdout). */
  logger?: LoggerLike;
  /** Log queries slower than this (text and duration, never values). `0` disables. */
  slowQueryMs?: number;
  /** Tracer for query spans; defaults to `@opentelemetry/api`'s global tracer when that package is installed. */
  tracer?: TracerLike;
  /**
   * Key that signs pagination cursors (≥ 32 bytes). Defaults to a random
   * per-process key: set it when several instances serve the same clients.
   */
  cursorKey?: string | Uint8Array;
}

/** Options of `db.transaction`. */
export interface TransactionOptions {
  isolation?: 'read committed' | 'repeatable read' | 'serializable';
  readOnly?: boolean;
  /** Extra attempts after a serialization failure (40001) or deadlock (40P01). */
  retries?: number;
}

/** The result of `db.query`. */
export interface QueryResult<T> {
  rows: T[];
  rowCount: number;
}

/**
 * Every default of `createDatabase` and `db.transaction`, in one place.
 *
 * @example
 * ```ts
 * import { DATABASE_DEFAULTS } from '@plinth/db-repository';
 *
 * DATABASE_DEFAULTS.statementTimeoutMs; // 30000
 * ```
 */
export const DATABASE_DEFAULTS = Object.freeze({
  poolMax: 10,
  idleTimeoutMs: 10_000,
  connectionTimeoutMs: 5_000,
  statementTimeoutMs: 30_000,
  idleInTransactionTimeoutMs: 60_000,
  applicationName: 'plinth',
  slowQueryMs: 1_000,
  closeTimeoutMs: 10_000,
  transactionRetries: 2,
  retryBaseDelayMs: 20,
  retryMaxDelayMs: 1_000,
});
