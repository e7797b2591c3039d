import { mapPgError } from '@plinth/db-repository';
import { toProblemDetails } from '@plinth/errors';
import { describe, expect, it } from 'vitest';
import { PG_ERROR_TABLE } from '../src/pg-error-table.js';

const SECRET = 'alice@example.com';

function pgError(code: string, extra: Record<string, unknown> = {}) {
  return Object.assign(new Error(`server says ${code}`), {
    code,
    detail: `Key (email)=(${SECRET}) already exists.`,
    ...extra,
  });
}

const cases: [string, string, number, string][] = [
  ['23505', 'ConflictError', 409, 'UNIQUE_VIOLATION'],
  ['23503', 'ValidationError', 400, 'FOREIGN_KEY_VIOLATION'],
  ['23502', 'ValidationError', 400, 'NOT_NULL_VIOLATION'],
  ['23514', 'ValidationError', 400, 'CHECK_VIOLATION'],
  ['22P02', 'ValidationError', 400, 'INVALID_TEXT_REPRESENTATION'],
  ['22001', 'ValidationError', 400, 'STRING_TOO_LONG'],
  ['22003', 'ValidationError', 400, 'NUMERIC_OUT_OF_RANGE'],
  ['22007', 'ValidationError', 400, 'INVALID_DATETIME_FORMAT'],
  ['22008', 'ValidationError', 400, 'DATETIME_OUT_OF_RANGE'],
  ['22021', 'ValidationError', 400, 'INVALID_CHARACTER'],
  ['22P05', 'ValidationError', 400, 'INVALID_CHARACTER'],
  ['40001', 'ConflictError', 409, 'SERIALIZATION_FAILURE'],
  ['40P01', 'ConflictError', 409, 'DEADLOCK_DETECTED'],
  ['57014', 'TimeoutError', 504, 'QUERY_TIMEOUT'],
  ['57P01', 'ServiceUnavailableError', 503, 'DB_UNAVAILABLE'],
  ['57P02', 'ServiceUnavailableError', 503, 'DB_UNAVAILABLE'],
  ['57P03', 'ServiceUnavailableError', 503, 'DB_UNAVAILABLE'],
  ['53300', 'ServiceUnavailableError', 503, 'DB_UNAVAILABLE'],
  ['08006', 'ServiceUnavailableError', 503, 'DB_UNAVAILABLE'],
  ['42501', 'InternalError', 500, 'DB_PERMISSION_DENIED'],
];

describe('mapPgError', () => {
  it('covers every row of the table with a test case', () => {
    const tested = new Set(cases.map(([s]) => (s.startsWith('08') ? '08*' : s)));
    expect(PG_ERROR_TABLE.map((r) => r.sqlState).filter((s) => !tested.has(s))).toEqual([]);
  });

  it.each(cases)('maps SQLSTATE %s to %s (%d, %s)', (sqlState, name, status, code) => {
    const err = mapPgError(pgError(sqlState, { constraint: 'c1', table: 't1', schema: 's1' }));
    expect(err.name).toBe(name);
    expect(err.status).toBe(status);
    expect(err.code).toBe(code);
    expect(err.context).toMatchObject({ sqlState, constraint: 'c1', table: 't1' });
    expect(JSON.stringify(err.toJSON())).not.toContain(SECRET);
    expect(String((err.cause as Error).message)).not.toContain(SECRET);
  });

  it.each([
    ['57P01', pgError('57P01')],
    ['53300', pgError('53300')],
    ['08006', pgError('08006')],
    ['ECONNREFUSED', Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' })],
    ['a terminated connection', new Error('Connection terminated unexpectedly')],
    ['a pool timeout', new Error('timeout exceeded when trying to connect')],
  ])('tells the client when to retry a DB_UNAVAILABLE from %s (Retry-After)', (_name, raw) => {
    const err = mapPgError(raw);
    expect(err).toMatchObject({ code: 'DB_UNAVAILABLE', status: 503, retryAfterSeconds: 1 });
    expect(toProblemDetails(err).retryAfterSeconds).toBe(1);
  });

  it('extracts unique-violation column names but never the values', () => {
    const err = mapPgError(
      pgError('23505', { detail: `Key (tenant_id, email)=(t1, ${SECRET}) already exists.` }),
    );
    expect(err.context?.columns).toEqual(['tenant_id', 'email']);
    expect(JSON.stringify(err.context)).not.toContain(SECRET);
  });

  it('drops server messages of classes that embed values', () => {
    const err = mapPgError(
      Object.assign(new Error(`invalid input syntax for type integer: "${SECRET}"`), {
        code: '22P02',
      }),
    );
    expect((err.cause as Error).message).not.toContain(SECRET);
    expect(err.message).not.toContain(SECRET);
  });

  it.each(['23514', '23505', '22023'])(
    'drops the free text of a %s message, which may quote values, keeping its SQLSTATE',
    (code) => {
      const err = mapPgError(Object.assign(new Error(`email ${SECRET} rejected`), { code }));
      expect((err.cause as Error).message).toBe(`PostgreSQL error ${code}`);
    },
  );

  it('drops the text of anything raised by PL/pgSQL, whatever its SQLSTATE', () => {
    const raised = Object.assign(new Error(`no row for ${SECRET}`), {
      code: '42P01',
      routine: 'exec_stmt_raise',
    });
    expect((mapPgError(raised).cause as Error).message).toBe('PostgreSQL error 42P01');
  });

  it('scrubs credentials out of the messages it keeps', () => {
    const err = mapPgError(new Error('could not reach postgres://app:hunter2@db:5432/app'));
    expect((err.cause as Error).message).not.toContain('hunter2');
    const syntax = mapPgError(
      Object.assign(new Error('syntax error near password=hunter2'), { code: '42601' }),
    );
    expect((syntax.cause as Error).message).not.toContain('hunter2');
  });

  it('describes a network failure by a fixed phrase, without host or port', () => {
    const err = mapPgError(
      Object.assign(new Error('connect ECONNREFUSED 10.1.2.3:5432'), { code: 'ECONNREFUSED' }),
    );
    expect((err.cause as Error).message).toBe('ECONNREFUSED: connection refused');
  });

  it('keeps only stack frames in the cause, not the rest of a multi-line server message', () => {
    const raw = Object.assign(new Error(`row rejected\nvalue was ${SECRET}`), { code: 'P0001' });
    const err = mapPgError(raw);
    expect(String((err.cause as Error).stack)).not.toContain(SECRET);
    expect(String((err.cause as Error).stack)).toMatch(
      /^PostgresError\[P0001\]: PostgreSQL error P0001\n\s+at /,
    );
  });

  it('marks serialization failures and deadlocks retryable for clients', () => {
    expect(mapPgError(pgError('40001')).details).toEqual({ retryable: true });
  });

  it('maps a row-level security violation to ForbiddenError', () => {
    const err = mapPgError(
      Object.assign(new Error('new row violates row-level security policy for table "t"'), {
        code: '42501',
      }),
    );
    expect(err.code).toBe('ROW_LEVEL_SECURITY_VIOLATION');
    expect(err.status).toBe(403);
  });

  it.each(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT'])(
    'maps network error %s to ServiceUnavailableError',
    (code) => {
      const err = mapPgError(Object.assign(new Error(`connect ${code} 127.0.0.1:5432`), { code }));
      expect(err.status).toBe(503);
      expect(err.context).toMatchObject({ errno: code });
    },
  );

  it('maps a lost connection and a pool timeout to ServiceUnavailableError', () => {
    expect(mapPgError(new Error('Connection terminated unexpectedly')).status).toBe(503);
    expect(mapPgError(new Error('timeout exceeded when trying to connect')).status).toBe(503);
  });

  it('maps anything else to an InternalError that is not exposed', () => {
    const err = mapPgError(pgError('XX000'));
    expect(err.code).toBe('DATABASE_ERROR');
    expect(err.expose).toBe(false);
    expect(mapPgError('weird').code).toBe('DATABASE_ERROR');
  });

  it('returns AppErrors unchanged', () => {
    const original = mapPgError(pgError('23505'));
    expect(mapPgError(original)).toBe(original);
  });
});
