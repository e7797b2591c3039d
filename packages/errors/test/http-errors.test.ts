import {
  AppError,
  BUILTIN_ERRORS,
  BusinessRuleError,
  ConflictError,
  ForbiddenError,
  InternalError,
  isAppError,
  NotFoundError,
  RateLimitError,
  ServiceUnavailableError,
  TimeoutError,
  UnauthorizedError,
  ValidationError,
} from '@plinth/errors';
import { describe, expect, it } from 'vitest';

const table = [
  [ValidationError, 'VALIDATION_FAILED', 400, 'Bad Request', 'info', true],
  [UnauthorizedError, 'UNAUTHORIZED', 401, 'Unauthorized', 'warning', true],
  [ForbiddenError, 'FORBIDDEN', 403, 'Forbidden', 'warning', true],
  [NotFoundError, 'NOT_FOUND', 404, 'Not Found', 'info', true],
  [ConflictError, 'CONFLICT', 409, 'Conflict', 'info', true],
  [BusinessRuleError, 'BUSINESS_RULE_VIOLATION', 422, 'Unprocessable Content', 'info', true],
  [RateLimitError, 'RATE_LIMITED', 429, 'Too Many Requests', 'warning', true],
  [InternalError, 'INTERNAL_ERROR', 500, 'Internal Server Error', 'error', false],
  [ServiceUnavailableError, 'SERVICE_UNAVAILABLE', 503, 'Service Unavailable', 'error', false],
  [TimeoutError, 'TIMEOUT', 504, 'Gateway Timeout', 'error', false],
] as const;

describe.each(table)('%o', (Class, code, status, title, severity, expose) => {
  it(`defaults to ${code}, ${status}, "${title}", ${severity}, expose=${expose}`, () => {
    const err = new Class();
    expect(err).toMatchObject({ code, status, title, severity, expose, name: Class.name });
    expect(err.message).toBe(Class.defaults.message);
    expect(err.message.length).toBeGreaterThan(0);
  });

  it('is an Error, an AppError and recognised by isAppError', () => {
    const err = new Class('boom');
    expect(err).toBeInstanceOf(Error);
    expect(err).toBeInstanceOf(AppError);
    expect(isAppError(err)).toBe(true);
    expect(err.message).toBe('boom');
  });

  it('keeps details, context and cause, frozen copies of the caller objects', () => {
    const details = { id: 1 };
    const cause = new Error('root');
    const err = new Class('x', { details, context: { sql: 'select 1' }, cause });
    expect(err.details).toEqual({ id: 1 });
    expect(err.details).not.toBe(details);
    expect(Object.isFrozen(err.details)).toBe(true);
    expect(err.context).toEqual({ sql: 'select 1' });
    expect(err.cause).toBe(cause);
  });
});

describe('AppError', () => {
  it('gives every instance a unique errorId and an ISO timestamp', () => {
    const a = new NotFoundError();
    const b = new NotFoundError();
    expect(a.errorId).not.toBe(b.errorId);
    expect(a.errorId).toMatch(/^[0-9a-f-]{36}$/);
    expect(new Date(a.timestamp).toISOString()).toBe(a.timestamp);
  });

  it('lets options override code, status, title, severity and expose', () => {
    const err = new AppError('Quota exceeded', {
      code: 'QUOTA_EXCEEDED',
      status: 402,
      title: 'Quota exceeded',
      severity: 'warning',
      expose: false,
    });
    expect(err).toMatchObject({
      code: 'QUOTA_EXCEEDED',
      status: 402,
      title: 'Quota exceeded',
      severity: 'warning',
      expose: false,
    });
  });

  it('derives code and title from a status that differs from the class default', () => {
    const err = new AppError('too big', { status: 413 });
    expect(err).toMatchObject({
      code: 'CONTENT_TOO_LARGE',
      title: 'Content Too Large',
      expose: true,
    });
  });

  it('replaces a status outside 400-599 with 500', () => {
    expect(new AppError('x', { status: 200 }).status).toBe(500);
    expect(new AppError('x', { status: 404.5 }).status).toBe(500);
  });

  it('tolerates null options from untyped callers', () => {
    const err = new NotFoundError(undefined, null as never);
    expect(err.code).toBe('NOT_FOUND');
  });

  it('serialises for logs with toJSON, including context and fingerprint', () => {
    const err = new ConflictError('dup', {
      details: { field: 'email' },
      context: { table: 'clients' },
    });
    const json = JSON.parse(JSON.stringify(err));
    expect(json).toMatchObject({
      name: 'ConflictError',
      code: 'CONFLICT',
      status: 409,
      message: 'dup',
      details: { field: 'email' },
      context: { table: 'clients' },
      fingerprint: err.fingerprint,
      errorId: err.errorId,
    });
  });
});

describe('subclass specifics', () => {
  it('ValidationError carries frozen errors[] and serialises them', () => {
    const err = new ValidationError(undefined, {
      errors: [{ path: 'email', message: 'Invalid email address', code: 'invalid_format' }],
    });
    expect(err.errors).toEqual([
      { path: 'email', message: 'Invalid email address', code: 'invalid_format' },
    ]);
    expect(Object.isFrozen(err.errors)).toBe(true);
    expect(err.toJSON().errors).toHaveLength(1);
    expect(new ValidationError().errors).toEqual([]);
  });

  it('RateLimitError rounds retryAfterSeconds up and drops non-finite values', () => {
    expect(new RateLimitError(undefined, { retryAfterSeconds: 1.2 }).retryAfterSeconds).toBe(2);
    expect(new RateLimitError(undefined, { retryAfterSeconds: -5 }).retryAfterSeconds).toBe(0);
    expect(
      new RateLimitError(undefined, { retryAfterSeconds: Number.NaN }).retryAfterSeconds,
    ).toBeUndefined();
  });

  it('ServiceUnavailableError is retryable unless told otherwise', () => {
    expect(new ServiceUnavailableError().retryable).toBe(true);
    expect(new ServiceUnavailableError(undefined, { retryable: false }).retryable).toBe(false);
  });

  it('BUILTIN_ERRORS lists the twelve classes (OptionsError and ConfigError included) with distinct codes', () => {
    expect(BUILTIN_ERRORS).toHaveLength(12);
    expect(new Set(BUILTIN_ERRORS.map((c) => c.defaults.code)).size).toBe(12);
  });
});

describe('isAppError', () => {
  it('rejects plain errors and look-alikes without the brand', () => {
    expect(isAppError(new Error('x'))).toBe(false);
    expect(isAppError({ code: 'NOT_FOUND', status: 404 })).toBe(false);
    expect(isAppError(null)).toBe(false);
    expect(isAppError('NOT_FOUND')).toBe(false);
  });

  it('accepts an object carrying the shared brand (another copy of the package)', () => {
    const foreign = Object.create({ [Symbol.for('plinth.errors.v1')]: true });
    expect(isAppError(foreign)).toBe(true);
  });
});
