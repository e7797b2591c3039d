import { AppError, NotFoundError, ValidationError } from '@plinth/errors';
import { createLogSerializer } from '@plinth/logging';
import { describe, expect, it } from 'vitest';
import { capture } from './helpers.js';

describe('error serializer', () => {
  it('serializes an AppError with a two-level cause chain', () => {
    const { logger, last } = capture();
    const root = new Error('connection reset', { cause: { errno: -104, password: 'db-pass' } });
    const middle = new NotFoundError('Client not found', {
      context: { clientId: 'c1', token: 't' },
      cause: root,
    });
    const top = new AppError('Could not load client', {
      code: 'CLIENT_LOAD_FAILED',
      status: 502,
      severity: 'critical',
      details: { retry: true },
      context: { attempt: 2, apiKey: 'k' },
      cause: middle,
    });
    logger.error({ err: top }, 'request failed');
    const err = last().err as Record<string, any>;
    expect(err).toMatchObject({
      type: 'AppError',
      message: 'Could not load client',
      code: 'CLIENT_LOAD_FAILED',
      status: 502,
      severity: 'critical',
      errorId: top.errorId,
      fingerprint: top.fingerprint,
      details: { retry: true },
      context: { attempt: 2, apiKey: '[redacted]' },
    });
    expect(err.stack).toContain('Could not load client');
    expect(err.cause).toMatchObject({
      type: 'NotFoundError',
      code: 'NOT_FOUND',
      status: 404,
      errorId: middle.errorId,
      fingerprint: middle.fingerprint,
      context: { clientId: 'c1', token: '[redacted]' },
    });
    expect(err.cause.cause).toMatchObject({
      type: 'Error',
      message: 'connection reset',
      cause: { errno: -104, password: '[redacted]' },
    });
    expect(err.cause.cause.stack).toContain('connection reset');
  });

  it('uses the error message when logging an error directly', () => {
    const { logger, last } = capture();
    logger.error(new Error('plain failure'));
    expect(last()).toMatchObject({
      msg: 'plain failure',
      err: { type: 'Error', message: 'plain failure' },
    });
  });

  it('keeps non-Error causes such as strings', () => {
    const { logger, last } = capture();
    logger.error({ err: new Error('outer', { cause: 'just a string' }) });
    expect((last().err as Record<string, unknown>).cause).toBe('just a string');
  });

  it('lists AggregateError members', () => {
    const { logger, last } = capture();
    const agg = new AggregateError([new Error('first'), new TypeError('second'), 'third'], 'many');
    logger.error({ err: agg });
    const err = last().err as Record<string, any>;
    expect(err.type).toBe('AggregateError');
    expect(err.errors.map((e: any) => e.message ?? e)).toEqual(['first', 'second', 'third']);
    expect(err.errors[1].type).toBe('TypeError');
  });

  it('serializes validation issues', () => {
    const { logger, last } = capture();
    logger.warn({
      err: new ValidationError('Invalid input', {
        errors: [{ path: 'email', message: 'Invalid', code: 'invalid' }],
      }),
    });
    expect((last().err as Record<string, unknown>).errors).toEqual([
      { path: 'email', message: 'Invalid', code: 'invalid' },
    ]);
  });

  it('bounds cause cycles and very long chains', () => {
    const a = new Error('a');
    const b = new Error('b', { cause: a });
    (a as { cause?: unknown }).cause = b;
    let long = new Error('e0');
    for (let i = 1; i < 50; i++) long = new Error(`e${i}`, { cause: long });
    const { logger, last } = capture();
    logger.error({ err: b, chain: long });
    const line = last() as Record<string, any>;
    expect(line.err.cause.cause).toBe('[Circular]');
    expect(JSON.stringify(line.chain)).toContain('[Truncated]');
  });

  it('serializes errors under any key, not only err', () => {
    const out = createLogSerializer()({
      failure: new AppError('x', { context: { secret: 's' } }),
    }) as any;
    expect(out.failure).toMatchObject({ type: 'AppError', context: { secret: '[redacted]' } });
  });

  it('redacts sensitive own properties of plain errors', () => {
    const err = Object.assign(new Error('http failed'), {
      statusCode: 500,
      authorization: 'Bearer x',
    });
    const { logger, last } = capture();
    logger.error(err);
    expect(last().err).toMatchObject({ statusCode: 500, authorization: '[redacted]' });
  });
});

describe('credentials inside error messages', () => {
  const password = 'hunter2-pw';
  const token = 'abcdEFGH12345678';

  it('redacts URL credentials and bearer values in message, stack and causes', () => {
    const { logger, raw, last } = capture();
    const err = new Error(`connect postgres://app:${password}@db:5432/x failed`, {
      cause: new Error(`Bearer ${token}`),
    });
    logger.error({ err }, 'db down');
    const line = last() as { err: { message: string; stack: string; cause: { message: string } } };
    expect(line.err.message).toBe('connect postgres://[redacted]@db:5432/x failed');
    expect(line.err.stack).toContain('postgres://[redacted]@db');
    expect(line.err.cause.message).toBe('[redacted]');
    expect(raw.join('')).not.toContain(password);
    expect(raw.join('')).not.toContain(token);
  });

  it('redacts the message pino copies into msg when the call gives none', () => {
    const { logger, raw, last } = capture();
    const err = new Error(`GET https://api.example.com/x?access_token=${token} failed`);
    logger.error(err);
    logger.error({ err });
    expect(raw).toHaveLength(2);
    expect(last().msg).toBe('GET https://api.example.com/x?access_token=[redacted] failed');
    expect(raw.join('')).not.toContain(token);
  });

  it('logs an error whose message getter throws instead of throwing from the call', () => {
    const { logger, last } = capture();
    const err = new Error('x');
    Object.defineProperty(err, 'message', {
      get() {
        throw new Error('getter');
      },
    });
    expect(() => logger.error(err)).not.toThrow();
    expect(last().value).toBe('[Unserializable]');
    const hostile = new Proxy(
      {},
      {
        getPrototypeOf() {
          throw new Error('trap');
        },
      },
    );
    expect(() => logger.info(hostile, 'still logged')).not.toThrow();
    expect(last()).toMatchObject({ value: '[Unserializable]', msg: 'still logged' });
  });
});

describe('AppError diagnostics', () => {
  it('scrubs credentials inside context strings, not only sensitive keys', () => {
    const { logger, raw } = capture();
    logger.error({
      err: new AppError('db down', {
        context: {
          url: 'postgres://app:pa55word@db:5432/x',
          header: 'Bearer eyJhbGciOi.eyJzdWIi.c2ln',
        },
      }),
    });
    expect(raw[0]).not.toContain('pa55word');
    expect(raw[0]).not.toContain('eyJzdWIi');
  });
});
