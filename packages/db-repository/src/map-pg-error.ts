import {
  type AppError,
  InternalError,
  isAppError,
  ServiceUnavailableError,
  scrubText,
} from '@plinth/errors';
import { NETWORK_ERROR_CODES, NETWORK_ERROR_PHRASES } from '@plinth/internal';
import {
  CONNECTION_MESSAGES,
  DB_UNAVAILABLE_RETRY_AFTER_SECONDS,
  PG_ERROR_TABLE,
  type PgErrorRule,
  RLS_VIOLATION,
} from './pg-error-table.js';

/** Fields a pg `DatabaseError` carries that we read. `detail`/`where` contain values and are never copied. */
interface PgErrorLike {
  code?: unknown;
  message?: unknown;
  constraint?: unknown;
  table?: unknown;
  schema?: unknown;
  column?: unknown;
  dataType?: unknown;
  detail?: unknown;
  routine?: unknown;
}

const SQLSTATE = /^[0-9A-Z]{5}$/;
/**
 * SQLSTATE classes whose server-written messages name objects, not values:
 * connection, transaction state, serialization, syntax/access, resources,
 * object state, operator intervention. Data exceptions (22) and integrity
 * violations (23) quote values or carry a trigger's text, so only their
 * SQLSTATE and object names are kept.
 */
const SAFE_MESSAGE_CLASSES = new Set(['08', '25', '40', '42', '53', '55', '57']);
/** Server routines of PL/pgSQL `RAISE` / `ASSERT`: their message is application text, whatever the SQLSTATE. */
const RAISED = /^exec_stmt_(raise|assert)$/;
const MAX_MESSAGE = 200;

const str = (v: unknown) => (typeof v === 'string' && v.length > 0 ? v : undefined);

function findRule(sqlState: string): PgErrorRule | undefined {
  return (
    PG_ERROR_TABLE.find((r) => r.sqlState === sqlState) ??
    PG_ERROR_TABLE.find(
      (r) => r.sqlState.endsWith('*') && sqlState.startsWith(r.sqlState.slice(0, 2)),
    )
  );
}

/** Column names of a unique violation, parsed from `Key (a, b)=(…)`; everything after `)=(` (the values) is discarded. */
export function uniqueColumns(detail: unknown): string[] | undefined {
  if (typeof detail !== 'string' || !detail.startsWith('Key (')) return undefined;
  const end = detail.indexOf(')=(');
  if (end < 0) return undefined;
  return detail
    .slice(5, end)
    .split(', ')
    .map((c) => c.trim())
    .filter((c) => c.length > 0);
}

/**
 * The server message, scrubbed by `@plinth/errors`, when PostgreSQL wrote it
 * for a class that names objects only; a fixed text for everything that may
 * carry values (data exceptions, constraint violations, any `RAISE`).
 */
export function safePgMessage(err: unknown): string {
  const e = (err ?? {}) as PgErrorLike;
  const code = str(e.code);
  const message = str(e.message) ?? 'unknown error';
  if (code && SQLSTATE.test(code)) {
    const raised = typeof e.routine === 'string' && RAISED.test(e.routine);
    return SAFE_MESSAGE_CLASSES.has(code.slice(0, 2)) && !raised
      ? scrubText(message, { maxLength: MAX_MESSAGE })
      : `PostgreSQL error ${code}`;
  }
  const phrase = code ? NETWORK_ERROR_PHRASES[code] : undefined;
  return phrase ? `${code}: ${phrase}` : scrubText(message, { maxLength: MAX_MESSAGE });
}

function diagnostics(e: PgErrorLike, sqlState: string | undefined): Record<string, unknown> {
  const ctx: Record<string, unknown> = {};
  if (sqlState) ctx.sqlState = sqlState;
  const fields = {
    constraint: e.constraint,
    table: e.table,
    schema: e.schema,
    column: e.column,
    dataType: e.dataType,
    routine: e.routine,
  };
  for (const [k, v] of Object.entries(fields)) if (str(v)) ctx[k] = v;
  if (sqlState === '23505') {
    const columns = uniqueColumns(e.detail);
    if (columns) ctx.columns = columns;
  } else if (str(e.column)) ctx.columns = [e.column];
  return ctx;
}

/** A cause that keeps the SQLSTATE and a value-free message, so cause chains in logs stay clean. */
function scrubbedCause(err: unknown, sqlState: string | undefined): Error {
  const cause = new Error(safePgMessage(err));
  cause.name = sqlState ? `PostgresError[${sqlState}]` : 'PostgresConnectionError';
  // Only the frames: a multi-line server message (RAISE … E'\n' || value) continues past line 1.
  if (err instanceof Error && err.stack) {
    const frames = err.stack.split('\n').filter((line) => /^\s+at /.test(line));
    cause.stack = [`${cause.name}: ${cause.message}`, ...frames].join('\n');
  }
  return cause;
}

/**
 * Translates a pg / network error into the AppError of DESIGN §5. The result
 * carries `constraint`, `table`, `columns` and `sqlState` in `context` and a
 * scrubbed `cause`; the server's `detail` (which contains row values) and the
 * parameter values are never copied. AppErrors pass through unchanged.
 *
 * @example
 * ```ts
 * import { mapPgError } from '@plinth/db-repository';
 *
 * try { await pool.query('INSERT …', values); }
 * catch (err) { throw mapPgError(err); } // 23505 → ConflictError UNIQUE_VIOLATION
 * ```
 */
export function mapPgError(err: unknown): AppError {
  if (isAppError(err)) return err as AppError;
  const e = (typeof err === 'object' && err !== null ? err : {}) as PgErrorLike;
  const code = str(e.code);
  const sqlState = code && SQLSTATE.test(code) ? code : undefined;
  const context = diagnostics(e, sqlState);
  const cause = scrubbedCause(err, sqlState);

  if (
    sqlState === '42501' &&
    typeof e.message === 'string' &&
    e.message.includes('row-level security')
  ) {
    return RLS_VIOLATION.create(RLS_VIOLATION.message, {
      code: RLS_VIOLATION.code,
      context,
      cause,
    });
  }
  const rule = sqlState ? findRule(sqlState) : undefined;
  if (rule) return rule.create(rule.message, { code: rule.code, context, cause });

  const message = typeof e.message === 'string' ? e.message : '';
  if (
    (code && NETWORK_ERROR_CODES.has(code)) ||
    CONNECTION_MESSAGES.some((re) => re.test(message))
  ) {
    if (code) context.errno = code;
    return new ServiceUnavailableError('The database is unreachable', {
      code: 'DB_UNAVAILABLE',
      retryAfterSeconds: DB_UNAVAILABLE_RETRY_AFTER_SECONDS,
      context,
      cause,
    });
  }
  return new InternalError('The database operation failed', {
    code: 'DATABASE_ERROR',
    context,
    cause,
  });
}

/** True for errors worth retrying a whole transaction for: 40001 and 40P01 (raw or mapped). */
export function isRetryableTransactionError(err: unknown): boolean {
  const e = err as { code?: unknown; context?: { sqlState?: unknown } } | undefined;
  const state = isAppError(err) ? e?.context?.sqlState : e?.code;
  return state === '40001' || state === '40P01';
}

/** True when the connection that produced `err` must not be reused. */
export function isConnectionLevelError(err: unknown): boolean {
  const e = err as
    | { code?: unknown; context?: { sqlState?: unknown; errno?: unknown } }
    | undefined;
  if (isAppError(err)) {
    const s = e?.context?.sqlState;
    return (
      (err as AppError).code === 'DB_UNAVAILABLE' ||
      (typeof s === 'string' && (s.startsWith('08') || s.startsWith('57P')))
    );
  }
  const code = typeof e?.code === 'string' ? e.code : undefined;
  if (code && SQLSTATE.test(code)) return code.startsWith('08') || code.startsWith('57P');
  return true;
}
