import type { PoolConfig } from 'pg';
import { usageError } from './errors.js';
import { DATABASE_DEFAULTS, type DatabaseOptions } from './types.js';

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_$]*$/;

function nonNegativeInt(value: number | undefined, fallback: number, name: string): number {
  if (value === undefined) return fallback;
  if (!Number.isInteger(value) || value < 0)
    throw usageError(`createDatabase: ${name} must be a non-negative integer`, 'DB_CONFIG_INVALID');
  return value;
}

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

/** Validates {@link DatabaseOptions} and fills the defaults (the connection string is never echoed). */
export function resolveOptions(options: DatabaseOptions) {
  if (typeof options !== 'object' || options === null)
    throw usageError('createDatabase: options are required', 'DB_CONFIG_INVALID');
  const { connectionString, pool = {}, searchPath } = options;
  if (typeof connectionString !== 'string' || connectionString.length === 0) {
    throw usageError('createDatabase: connectionString is required', 'DB_CONFIG_INVALID');
  }
  const max = nonNegativeInt(pool.max, DATABASE_DEFAULTS.poolMax, 'pool.max');
  if (max < 1) throw usageError('createDatabase: pool.max must be at least 1', 'DB_CONFIG_INVALID');
  if (
    searchPath !== undefined &&
    (!Array.isArray(searchPath) ||
      !searchPath.every((s) => typeof s === 'string' && IDENTIFIER.test(s)))
  ) {
    throw usageError(
      'createDatabase: searchPath must be a list of plain schema names',
      'DB_CONFIG_INVALID',
    );
  }
  const applicationName = options.applicationName ?? DATABASE_DEFAULTS.applicationName;
  if (typeof applicationName !== 'string' || applicationName.length > 63) {
    throw usageError(
      'createDatabase: applicationName must be a string of at most 63 characters',
      'DB_CONFIG_INVALID',
    );
  }
  const poolConfig: PoolConfig = {
    connectionString,
    max,
    idleTimeoutMillis: nonNegativeInt(
      pool.idleTimeoutMs,
      DATABASE_DEFAULTS.idleTimeoutMs,
      'pool.idleTimeoutMs',
    ),
    connectionTimeoutMillis: nonNegativeInt(
      pool.connectionTimeoutMs,
      DATABASE_DEFAULTS.connectionTimeoutMs,
      'pool.connectionTimeoutMs',
    ),
    statement_timeout: nonNegativeInt(
      options.statementTimeoutMs,
      DATABASE_DEFAULTS.statementTimeoutMs,
      'statementTimeoutMs',
    ),
    idle_in_transaction_session_timeout: nonNegativeInt(
      options.idleInTransactionTimeoutMs,
      DATABASE_DEFAULTS.idleInTransactionTimeoutMs,
      'idleInTransactionTimeoutMs',
    ),
    application_name: applicationName,
  };
  // A start-up parameter rather than a SET after connect: no window where the setting is missing.
  if (searchPath && searchPath.length > 0)
    poolConfig.options = `-c search_path=${searchPath.join(',')}`;
  return {
    poolConfig,
    slowQueryMs: nonNegativeInt(options.slowQueryMs, DATABASE_DEFAULTS.slowQueryMs, 'slowQueryMs'),
    closeTimeoutMs: DATABASE_DEFAULTS.closeTimeoutMs,
    server: serverInfo(connectionString),
  };
}
