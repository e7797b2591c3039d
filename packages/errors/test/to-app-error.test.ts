import {
  AppError,
  InternalError,
  isAppError,
  NotFoundError,
  TimeoutError,
  toAppError,
  ValidationError,
} from '@plinth/errors';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';

describe('toAppError', () => {
  it('returns an AppError unchanged', () => {
    const err = new NotFoundError();
    expect(toAppError(err)).toBe(err);
  });

  it('wraps an Error as an InternalError that keeps it as cause', () => {
    const original = new TypeError('cannot read x of undefined');
    const err = toAppError(original);
    expect(err).toBeInstanceOf(InternalError);
    expect(err.status).toBe(500);
    expect(err.expose).toBe(false);
    expect(err.cause).toBe(original);
    expect(err.message).toBe('cannot read x of undefined');
  });

  it('wraps an AggregateError keeping its members reachable through cause', () => {
    const members = [new Error('a'), new Error('b')];
    const err = toAppError(new AggregateError(members, 'several failed'));
    expect(err).toBeInstanceOf(InternalError);
    expect((err.cause as AggregateError).errors).toEqual(members);
  });

  it.each([
    ['a string', 'boom', 'string'],
    ['a plain object', { reason: 'x' }, 'object'],
    ['null', null, 'null'],
    ['undefined', undefined, 'undefined'],
    ['a number', 42, 'number'],
    ['an array', [1], 'array'],
  ])('wraps %s as an InternalError naming only its type', (_label, value, type) => {
    const err = toAppError(value);
    expect(err).toBeInstanceOf(InternalError);
    expect(err.cause).toBe(value);
    expect(err.message).toBe(`A non-Error value was thrown (${type})`);
  });

  it('wraps a value thrown with `throw` that is not an Error', () => {
    let caught: unknown;
    try {
      throw { code: 'E_WEIRD' };
    } catch (e) {
      caught = e;
    }
    const err = toAppError(caught);
    expect(err.code).toBe('INTERNAL_ERROR');
    expect(err.cause).toBe(caught);
  });

  it('never throws, even on a hostile value', () => {
    const hostile = new Proxy(
      {},
      {
        get() {
          throw new Error('trap');
        },
        getPrototypeOf() {
          throw new Error('trap');
        },
      },
    );
    const { proxy, revoke } = Proxy.revocable({}, {});
    revoke();
    expect(toAppError(hostile)).toBeInstanceOf(InternalError);
    expect(toAppError(proxy)).toBeInstanceOf(InternalError);
  });

  it('maps an http-errors style error to the built-in class without its message', () => {
    const parse = Object.assign(new SyntaxError('Unexpected token a in JSON: "alice@x.io"'), {
      status: 400,
      statusCode: 400,
      expose: true,
      type: 'entity.parse.failed',
    });
    const err = toAppError(parse);
    expect(err).toBeInstanceOf(ValidationError);
    expect(err.message).toBe(ValidationError.defaults.message);
    expect(err.cause).toBe(parse);
  });

  it('maps a status without a built-in class to an AppError named after the status', () => {
    const tooLarge = Object.assign(new Error('request entity too large'), {
      status: 413,
      expose: true,
    });
    const err = toAppError(tooLarge);
    expect(err).toMatchObject({
      status: 413,
      code: 'CONTENT_TOO_LARGE',
      message: 'Content Too Large',
    });
  });

  it('maps a Fastify error by statusCode and FST_ code', () => {
    const fst = Object.assign(new Error('Unsupported Media Type: text/foo'), {
      statusCode: 415,
      code: 'FST_ERR_CTP_INVALID_MEDIA_TYPE',
    });
    expect(toAppError(fst)).toMatchObject({ status: 415, code: 'UNSUPPORTED_MEDIA_TYPE' });
  });

  it('does not trust the status of an upstream HTTP client error', () => {
    const upstream = Object.assign(new Error('Request failed with status code 401'), {
      status: 401,
      code: 'ERR_BAD_REQUEST',
    });
    expect(toAppError(upstream)).toBeInstanceOf(InternalError);
  });

  it('maps an AbortSignal.timeout error to TimeoutError', async () => {
    const signal = AbortSignal.timeout(0);
    await new Promise((resolve) => signal.addEventListener('abort', resolve));
    const err = toAppError(signal.reason);
    expect(err).toBeInstanceOf(TimeoutError);
    expect(err.status).toBe(504);
  });

  it('does not turn a ZodError into a client error', () => {
    const result = z.string().safeParse(1);
    expect(result.success).toBe(false);
    expect(toAppError(result.error)).toBeInstanceOf(InternalError);
  });

  it('fingerprints a wrapped Error by the original throw site', () => {
    const make = () => new Error('x');
    const a = toAppError(make());
    const b = toAppError(make());
    const elsewhere = toAppError(new Error('x'));
    expect(a.fingerprint).toBe(b.fingerprint);
    expect(a.fingerprint).not.toBe(elsewhere.fingerprint);
  });

  it('accepts an AppError from another copy of the package as is', () => {
    const foreign = Object.assign(Object.create({ [Symbol.for('plinth.errors.v1')]: true }), {
      code: 'X',
    });
    expect(toAppError(foreign)).toBe(foreign);
    expect(isAppError(toAppError('x'))).toBe(true);
    expect(toAppError('x')).toBeInstanceOf(AppError);
  });
});
