import {
  AppError,
  ConflictError,
  defineErrors,
  InternalError,
  NotFoundError,
  PROBLEM_CONTENT_TYPE,
  RateLimitError,
  ServiceUnavailableError,
  toProblemDetails,
  ValidationError,
} from '@plinth/errors';
import { describe, expect, it } from 'vitest';

describe('toProblemDetails', () => {
  it('exports the problem+json media type', () => {
    expect(PROBLEM_CONTENT_TYPE).toBe('application/problem+json');
  });

  it('renders a 4xx with its message as detail and the RFC 9457 members', () => {
    const err = new NotFoundError('No client with this id', { context: { sql: 'select *' } });
    const problem = toProblemDetails(err, { instance: '/v1/clients/42', correlationId: 'req-1' });
    expect(problem).toEqual({
      type: 'about:blank',
      title: 'Not Found',
      status: 404,
      detail: 'No client with this id',
      instance: '/v1/clients/42',
      code: 'NOT_FOUND',
      errorId: err.errorId,
      correlationId: 'req-1',
      timestamp: err.timestamp,
    });
  });

  it('lists validation errors under errors', () => {
    const err = new ValidationError(undefined, {
      errors: [{ path: 'email', message: 'Invalid email address', code: 'invalid_format' }],
    });
    expect(toProblemDetails(err).errors).toEqual([
      { path: 'email', message: 'Invalid email address', code: 'invalid_format' },
    ]);
  });

  it('hides message, stack, context and cause of a 5xx', () => {
    const err = new InternalError('db password is hunter2', {
      context: { query: 'select secret' },
      cause: new Error('root cause hunter2'),
    });
    const problem = toProblemDetails(err);
    expect(problem).toMatchObject({
      status: 500,
      title: 'Internal Server Error',
      detail: 'Internal Server Error',
    });
    const json = JSON.stringify(problem);
    expect(json).not.toContain('hunter2');
    expect(json).not.toContain('select secret');
    expect(json).not.toContain('at ');
    expect(problem).not.toHaveProperty('debug');
  });

  it('hides the message of a 5xx even when expose is set', () => {
    const err = new ServiceUnavailableError('payments at 10.0.0.3 down', { expose: true });
    expect(toProblemDetails(err).detail).toBe('Service Unavailable');
  });

  it('hides the message of a 4xx created with expose: false', () => {
    const err = new ConflictError('row 42 of tenant acme', { expose: false });
    expect(toProblemDetails(err).detail).toBe('Conflict');
  });

  it('adds message, stack, sanitized context and cause under debug when asked', () => {
    const err = new InternalError('boom', {
      context: { userId: 'u1', password: 'p' },
      cause: new Error('root'),
    });
    const problem = toProblemDetails(err, { debug: true });
    expect(problem.detail).toBe('Internal Server Error');
    expect(problem.debug).toMatchObject({
      message: 'boom',
      context: { userId: 'u1', password: '[redacted]' },
      cause: { type: 'Error', message: 'root' },
    });
    expect(String(problem.debug?.stack)).toContain('problem-details.test.ts');
  });

  it('converts anything that is not an AppError through toAppError', () => {
    expect(toProblemDetails(new Error('secret internals'))).toMatchObject({
      status: 500,
      code: 'INTERNAL_ERROR',
      detail: 'Internal Server Error',
    });
    expect(toProblemDetails('oops').status).toBe(500);
    expect(toProblemDetails(undefined).status).toBe(500);
  });

  it('builds type from typeBase and the code, keeping the error title', () => {
    const Errors = defineErrors({ CLIENT_NOT_FOUND: { status: 404, title: 'Client not found' } });
    const problem = toProblemDetails(new Errors.CLIENT_NOT_FOUND(), {
      typeBase: 'https://docs.example.com/errors#',
    });
    expect(problem.type).toBe('https://docs.example.com/errors#CLIENT_NOT_FOUND');
    expect(problem.title).toBe('Client not found');
    expect(problem.code).toBe('CLIENT_NOT_FOUND');
  });

  it('uses the HTTP reason phrase as title when type is about:blank', () => {
    const Errors = defineErrors({ CLIENT_NOT_FOUND: { status: 404, title: 'Client not found' } });
    const problem = toProblemDetails(new Errors.CLIENT_NOT_FOUND());
    expect(problem).toMatchObject({
      type: 'about:blank',
      title: 'Not Found',
      detail: 'Client not found',
    });
  });

  it('accepts a typeBase function and falls back to about:blank if it throws', () => {
    const err = new NotFoundError();
    expect(toProblemDetails(err, { typeBase: (c) => `urn:problem:${c.toLowerCase()}` }).type).toBe(
      'urn:problem:not_found',
    );
    const throwing = () => {
      throw new Error('x');
    };
    expect(toProblemDetails(err, { typeBase: throwing }).type).toBe('about:blank');
  });

  it('nests client-safe details under details, sanitized', () => {
    const err = new AppError('Quota exceeded', {
      code: 'QUOTA_EXCEEDED',
      status: 402,
      details: { limit: 100, status: 'ignored-as-member', apiKey: 'k' },
    });
    const problem = toProblemDetails(err);
    expect(problem.status).toBe(402);
    expect(problem.details).toEqual({
      limit: 100,
      status: 'ignored-as-member',
      apiKey: '[redacted]',
    });
  });

  it('adds retryAfterSeconds for rate limits and unavailable dependencies', () => {
    expect(
      toProblemDetails(new RateLimitError(undefined, { retryAfterSeconds: 30 })).retryAfterSeconds,
    ).toBe(30);
    expect(
      toProblemDetails(new ServiceUnavailableError(undefined, { retryAfterSeconds: 5 }))
        .retryAfterSeconds,
    ).toBe(5);
    expect(toProblemDetails(new RateLimitError())).not.toHaveProperty('retryAfterSeconds');
  });

  it('ignores options of the wrong type', () => {
    const problem = toProblemDetails(new NotFoundError(), {
      instance: 42 as never,
      correlationId: {} as never,
    });
    expect(problem).not.toHaveProperty('instance');
    expect(problem).not.toHaveProperty('correlationId');
    expect(toProblemDetails(new NotFoundError(), null as never).status).toBe(404);
  });

  it('produces JSON that round-trips', () => {
    const problem = toProblemDetails(new ValidationError(), { instance: '/x' });
    expect(JSON.parse(JSON.stringify(problem))).toEqual(problem);
  });

  it('never throws, even for a branded look-alike with throwing getters', () => {
    const hostile = Object.create(
      { [Symbol.for('plinth.errors.v1')]: true },
      {
        status: {
          get: () => {
            throw new Error('trap');
          },
        },
      },
    );
    expect(toProblemDetails(hostile)).toMatchObject({ status: 500, code: 'INTERNAL_ERROR' });
  });

  it('ignores a typeBase that is neither a string nor a function', () => {
    for (const typeBase of [5, {}, true]) {
      const problem = toProblemDetails(new NotFoundError(), { typeBase: typeBase as never });
      expect(problem.type).toBe('about:blank');
      expect(problem.title).toBe('Not Found');
    }
  });
});

describe('toProblemDetails and personal data (ADR 0014)', () => {
  const EMAIL = 'ann@example.com';
  const VISA = '4111 1111 1111 1111';
  const IBAN = 'DE89 3704 0044 0532 0130 00';

  it('carries no email address, card number or IBAN from a 4xx message or issue messages', () => {
    // Emails are promised by key and in key=value / "key": "value" pairs, not in bare
    // prose; card numbers (Luhn) and IBANs (mod-97) by shape anywhere in the text.
    const err = new ValidationError(`email=${EMAIL} is taken; card ${VISA}; iban ${IBAN}`, {
      errors: [
        { path: 'email', message: `email: ${EMAIL} is already registered`, code: 'taken' },
        { path: 'contact', message: `{"email": "${EMAIL}"} is a duplicate`, code: 'taken' },
        { path: 'card', message: 'card 4111-1111-1111-1111 was declined', code: 'declined' },
        { path: 'iban', message: 'IBAN GB82WEST12345698765432 is closed', code: 'closed' },
      ],
      details: { email: EMAIL, payer: { phone: '+44 20 7946 0958', iban: IBAN } },
    });
    const problem = toProblemDetails(err);
    expect(problem.detail).toBe('email=[redacted] is taken; card [redacted]; iban [redacted]');
    expect(problem.errors?.map((issue) => issue.message)).toEqual([
      'email: [redacted] is already registered',
      '{"email": "[redacted]"} is a duplicate',
      'card [redacted] was declined',
      'IBAN [redacted] is closed',
    ]);
    expect(problem.details).toEqual({
      email: '[redacted]',
      payer: { phone: '[redacted]', iban: '[redacted]' },
    });
    const json = JSON.stringify(problem);
    for (const value of [EMAIL, '4111', 'DE89', 'GB82', '7946']) expect(json).not.toContain(value);
  });
});
