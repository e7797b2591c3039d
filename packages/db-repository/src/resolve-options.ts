import { invalidOptions, type OptionIssueInput, requireOptionsObject } from '@plinth/errors';
import { isLoggerLike } from '@plinth/internal';
import type { PoolConfig } from 'pg';
import { isPlainIdentifier } from './identifier.js';
import { DATABASE_DEFAULTS, type DatabaseOptions } from './types.js';

function serverInfo(connectionString: string) {
  try {
    const url = new URL(connectionString);
    const namespace = decodeURIComponent(url.pathname.replace(/^\//, '')) || undefined;
    return {
      namespace,
      serverAddress: url.hostname || undefined,
      serverPort: url.port ? Number(url.port) : 5432,
    };
  } catch {
    return {};
  }
}

/**
 * Fills the defaults of {@link DatabaseOptions} and rejects what pg would
 * otherwise take silently: a missing connection string (pg falls back to
 * `PG*` variables), non-integer or negative sizes and timeouts, and
 * `searchPath` entries that are not plain names (they go into a start-up
 * option), and a `logger` or `tracer` without the methods called on every
 * query (they would otherwise fail the first slow or traced query). The
 * connection string is never echoed.
 */
export function resolveOptions(options: DatabaseOptions) {
  requireOptionsObject(options, 'createDatabase', 'a connectionString');
  const { connectionString, searchPath, logger, tracer } = options;
  const issues: OptionIssueInput[] = [];
  let pool = options.pool === undefined ? {} : options.pool;
  if (typeof pool !== 'object' || pool === null) {
    issues.push({ path: 'pool', message: 'must be an object' });
    pool = {};
  }
  if (logger !== undefined && !isLoggerLike(logger))
    issues.push({ path: 'logger', message: 'must have error, warn and info methods' });
  if (tracer !== undefined && typeof (tracer as { startSpan?: unknown })?.startSpan !== 'function')
    issues.push({ path: 'tracer', message: 'must have a startSpan method' });
  const int = (value: number | undefined, fallback: number, path: string, min = 0): number => {
    if (value === undefined) return fallback;
    if (!Number.isInteger(value) || value < min)
      issues.push({ path, message: `must be an integer ≥ ${min}` });
    return value;
  };
  if (typeof connectionString !== 'string' || connectionString.length === 0)
    issues.push({ path: 'connectionString', message: 'is required' });
  if (
    searchPath !== undefined &&
    !(Array.isArray(searchPath) && searchPath.every(isPlainIdentifier))
  )
    issues.push({ path: 'searchPath', message: 'must be a list of plain schema names' });
  const poolConfig: PoolConfig = {
    connectionString,
    max: int(pool.max, DATABASE_DEFAULTS.poolMax, 'pool.max', 1),
    idleTimeoutMillis: int(
      pool.idleTimeoutMs,
      DATABASE_DEFAULTS.idleTimeoutMs,
      'pool.idleTimeoutMs',
    ),
    connectionTimeoutMillis: int(
      pool.connectionTimeoutMs,
      DATABASE_DEFAULTS.connectionTimeoutMs,
      'pool.connectionTimeoutMs',
    ),
    statement_timeout: int(
      options.statementTimeoutMs,
      DATABASE_DEFAULTS.statementTimeoutMs,
      'statementTimeoutMs',
    ),
    idle_in_transaction_session_timeout: int(
      options.idleInTransactionTimeoutMs,
      DATABASE_DEFAULTS.idleInTransactionTimeoutMs,
      'idleInTransactionTimeoutMs',
    ),
    application_name: options.applicationName ?? DATABASE_DEFAULTS.applicationName,
  };
  const slowQueryMs = int(options.slowQueryMs, DATABASE_DEFAULTS.slowQueryMs, 'slowQueryMs');
  if (issues.length > 0) throw invalidOptions('createDatabase', issues);
  // A start-up parameter rather than a SET after connect: no window where the setting is missing.
  if (searchPath && searchPath.length > 0)
    poolConfig.options = `-c search_path=${searchPath.join(',')}`;
  return {
    poolConfig,
    slowQueryMs,
    closeTimeoutMs: DATABASE_DEFAULTS.closeTimeoutMs,
    server: serverInfo(connectionString as string),
  };
}
