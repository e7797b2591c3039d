import {
  AppError,
  ConflictError,
  defineErrors,
  InternalError,
  isAppError,
  NotFoundError,
  RateLimitError,
} from '@plinth/errors';
import { describe, expect, expectTypeOf, it } from 'vitest';

const Errors = defineErrors({
  CLIENT_NOT_FOUND: { status: 404, title: 'Client not found', message: 'No client with this id' },
  CLIENT_EMAIL_TAKEN: {
    status: 409,
    title: 'Email already registered',
    description: 'Unique per tenant.',
  },
  QUOTA_EXCEEDED: { status: 402, title: 'Quota exceeded', severity: 'warning' },
  EXPORT_BACKLOG: { status: 429, title: 'Export backlog full' },
  LEDGER_CORRUPT: { status: 500, title: 'Ledger inconsistent', severity: 'critical' },
});

describe('defineErrors', () => {
  it('creates a class per code with the declared defaults', () => {
    const err = new Errors.CLIENT_NOT_FOUND();
    expect(err).toMatchObject({
      code: 'CLIENT_NOT_FOUND',
      status: 404,
      title: 'Client not found',
      message: 'No client with this id',
      severity: 'info',
      expose: true,
      name: 'ClientNotFoundError',
    });
    expect(Errors.CLIENT_NOT_FOUND.code).toBe('CLIENT_NOT_FOUND');
  });

  it('extends the built-in class for the status, else AppError', () => {
    expect(new Errors.CLIENT_NOT_FOUND()).toBeInstanceOf(NotFoundError);
    expect(new Errors.CLIENT_EMAIL_TAKEN()).toBeInstanceOf(ConflictError);
    expect(new Errors.LEDGER_CORRUPT()).toBeInstanceOf(InternalError);
    const quota = new Errors.QUOTA_EXCEEDED();
    expect(quota).toBeInstanceOf(AppError);
    expect(quota).not.toBeInstanceOf(NotFoundError);
    expect(isAppError(quota)).toBe(true);
    expect(new Errors.CLIENT_NOT_FOUND()).toBeInstanceOf(Errors.CLIENT_NOT_FOUND);
  });

  it('uses the title as default message and honours severity and expose defaults', () => {
    expect(new Errors.QUOTA_EXCEEDED()).toMatchObject({
      message: 'Quota exceeded',
      severity: 'warning',
    });
    expect(new Errors.LEDGER_CORRUPT()).toMatchObject({ expose: false, severity: 'critical' });
  });

  it('passes base-class options through, but never lets a caller change the code', () => {
    const err = new Errors.EXPORT_BACKLOG('slow down', {
      retryAfterSeconds: 10,
      details: { queue: 'exports' },
      code: 'OTHER',
    } as never);
    expect(err).toBeInstanceOf(RateLimitError);
    expect(err.retryAfterSeconds).toBe(10);
    expect(err.code).toBe('EXPORT_BACKLOG');
    expect(err.message).toBe('slow down');
  });

  it('keeps code literal types and base-class members in the types', () => {
    const err = new Errors.CLIENT_NOT_FOUND();
    expectTypeOf(err.code).toEqualTypeOf<'CLIENT_NOT_FOUND'>();
    expectTypeOf(err).toExtend<NotFoundError>();
    expectTypeOf(Errors.EXPORT_BACKLOG.code).toEqualTypeOf<'EXPORT_BACKLOG'>();
    expectTypeOf(new Errors.EXPORT_BACKLOG().retryAfterSeconds).toEqualTypeOf<number | undefined>();
    expectTypeOf(new Errors.QUOTA_EXCEEDED()).toExtend<AppError>();
    // @ts-expect-error code is fixed by the definition
    new Errors.CLIENT_NOT_FOUND(undefined, { code: 'X' });
  });

  it('points the fingerprint at the line that creates the error', () => {
    const a = new Errors.CLIENT_NOT_FOUND();
    const b = new Errors.CLIENT_NOT_FOUND();
    expect(a.stack?.split('\n')[1]).toContain('define-errors.test.ts');
    expect(a.fingerprint).not.toBe(b.fingerprint);
    const make = () => new Errors.CLIENT_NOT_FOUND();
    expect(make().fingerprint).toBe(make().fingerprint);
  });

  it.each([
    [
      'a code that is not SCREAMING_SNAKE',
      { clientNotFound: { status: 404, title: 'x' } },
      /SCREAMING_SNAKE/,
    ],
    ['a built-in code', { NOT_FOUND: { status: 404, title: 'x' } }, /built-in/],
    ['a status outside 400-599', { X_Y: { status: 302, title: 'x' } }, /status/],
    ['a missing title', { X_Y: { status: 400, title: ' ' } }, /title/],
    ['an unknown severity', { X_Y: { status: 400, title: 't', severity: 'fatal' } }, /severity/],
    ['a missing definition', { X_Y: null }, /definition/],
  ])('rejects %s with an InternalError', (_label, defs, message) => {
    expect(() => defineErrors(defs as never)).toThrow(InternalError);
    expect(() => defineErrors(defs as never)).toThrow(message);
  });
});
