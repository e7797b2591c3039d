import {
  NotFoundError,
  REDACTED,
  sanitize,
  toProblemDetails,
  UnauthorizedError,
  ValidationError,
} from '@plinth/errors';
import { describe, expect, it } from 'vitest';

// Regression tests for the attack run (issue 13): each one leaked or broke before.

describe('sanitize against hostile shapes', () => {
  it('reads rawHeaders-style name/value arrays as pairs (13.4)', () => {
    const rawHeaders = ['Host', 'api', 'X-Api-Key', 'ak_live_123', 'Cookie', 'connect.sid=s%3Aabc'];
    expect(sanitize({ rawHeaders })).toEqual({
      rawHeaders: ['Host', 'api', 'X-Api-Key', REDACTED, 'Cookie', REDACTED],
    });
    expect(
      sanitize(Object.entries({ authorization: 'Basic dXNlcjpwYXNz', accept: '*/*' })),
    ).toEqual([
      ['authorization', REDACTED],
      ['accept', '*/*'],
    ]);
  });

  it('redacts JSON that was encoded twice inside a string (13.6)', () => {
    const body = JSON.stringify({ body: JSON.stringify({ user: 'ann', password: 'hunter2' }) });
    const out = sanitize({ body }) as { body: string };
    expect(out.body).not.toContain('hunter2');
    expect(out.body).toContain('ann');
    const thrice = JSON.stringify({ outer: body });
    expect(JSON.stringify(sanitize(thrice))).not.toContain('hunter2');
  });

  it.each([
    'ENCRYPTION_KEYS',
    'BLIND_INDEX_KEY',
    'encryptionKey',
    'masterKey',
    'signingKey',
    'hmacKey',
    'privKey',
    'passcode',
    'cvv2',
    'cc_number',
    'ccNumber',
    'connect.sid',
    'sid',
    'social_security_number',
    'mfaCode',
  ])('redacts the key %s (13.7)', (key) => {
    expect(sanitize({ [key]: 'v4lue' })).toEqual({ [key]: REDACTED });
  });

  it('redacts the master keys of a process.env-like object (13.7)', () => {
    const env = { NODE_ENV: 'production', ENCRYPTION_KEYS: 'k1:AAAA', BLIND_INDEX_KEY: 'BBBB' };
    expect(sanitize(env)).toEqual({
      NODE_ENV: 'production',
      ENCRYPTION_KEYS: REDACTED,
      BLIND_INDEX_KEY: REDACTED,
    });
  });

  it('caps an object with a million keys and an array with two million items (13.14)', () => {
    const wide: Record<string, number> = {};
    for (let i = 0; i < 1_000_000; i++) wide[`k${i}`] = i;
    const huge = new Array(2_000_000).fill('x');
    const out = sanitize({ wide, huge }) as { wide: Record<string, unknown>; huge: unknown[] };
    expect(Object.keys(out.wide)).toHaveLength(1001);
    expect(out.wide['[…]']).toBe('999000 more keys');
    expect(out.huge).toHaveLength(1001);
    expect(out.huge.at(-1)).toBe('[… 1999000 more items]');
    expect(JSON.stringify(out).length).toBeLessThan(100_000);
  }, 120_000);

  it('cuts a very long string before scanning it (13.14)', () => {
    const out = sanitize(`password=hunter2 ${'a'.repeat(1_000_000)}`) as string;
    expect(out).toMatch(/^password=\[redacted\] a+…\[\+\d+ chars\]$/);
    expect(out.length).toBeLessThan(33_000);
  });
});

describe('problem details (13.9)', () => {
  it('scrubs credentials from a 4xx detail and from errors[].message', () => {
    const token = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJl';
    const problem = toProblemDetails(new UnauthorizedError(`bad token Bearer ${token}`));
    expect(JSON.stringify(problem)).not.toContain(token);
    const invalid = new ValidationError('invalid', {
      errors: [{ path: 'q', message: 'password=hunter2 is not allowed', code: 'x' }],
    });
    expect(JSON.stringify(toProblemDetails(invalid))).not.toContain('hunter2');
  });

  it('drops a correlationId or instance with CR/LF or other control characters', () => {
    const problem = toProblemDetails(new NotFoundError(), {
      correlationId: 'abc\r\nSet-Cookie: x=1',
      instance: '/v1/clients/1\r\nX-Injected: 1',
    });
    expect(problem).not.toHaveProperty('correlationId');
    expect(problem).not.toHaveProperty('instance');
    expect(
      toProblemDetails(new NotFoundError(), { correlationId: 'a'.repeat(129) }),
    ).not.toHaveProperty('correlationId');
  });

  it('keeps a valid correlationId and redacts sensitive query values in instance', () => {
    const problem = toProblemDetails(new NotFoundError(), {
      correlationId: 'req-1.a:b',
      instance: '/v1/cb?code=1&access_token=abc',
    });
    expect(problem.correlationId).toBe('req-1.a:b');
    expect(problem.instance).toBe(`/v1/cb?code=1&access_token=${REDACTED}`);
  });
});

describe('AppError#toString (12.11)', () => {
  it('includes the code between the class name and the message', () => {
    expect(String(new NotFoundError('Client not found', { code: 'CLIENT_NOT_FOUND' }))).toBe(
      'NotFoundError [CLIENT_NOT_FOUND]: Client not found',
    );
    expect(new NotFoundError('').toString()).toBe('NotFoundError [NOT_FOUND]');
  });
});
