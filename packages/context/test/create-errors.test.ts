import { createRequestContext, deriveContext, runJob } from '@plinth/context';
import { type AppError, isAppError, OptionsError, UnauthorizedError } from '@plinth/errors';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

function caught(fn: () => unknown): AppError {
  try {
    fn();
  } catch (err) {
    if (isAppError(err)) return err;
    throw err;
  }
  throw new Error('expected a throw');
}

const issuePaths = (err: AppError) =>
  ((err.context?.issues ?? (err as OptionsError).issues) as { path: string }[]).map((i) => i.path);

describe('createRequestContext with a hostile correlation or request id', () => {
  it('replaces a CR/LF correlation id with a fresh generated one instead of failing', () => {
    const ctx = createRequestContext({ correlationId: 'x\r\nSet-Cookie: session=1' });
    expect(ctx.correlationIdSource).toBe('generated');
    expect(ctx.correlationId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('marks a replaced id generated even when the caller claimed it came from the client', () => {
    const ctx = createRequestContext({ correlationId: 'a b', correlationIdSource: 'client' });
    expect(ctx.correlationIdSource).toBe('generated');
  });

  it('replaces an invalid request id with a fresh one', () => {
    const ctx = createRequestContext({ requestId: 'r'.repeat(129) });
    expect(ctx.requestId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('checks what a patch changes on a built parent, and all of an object that merely looks like one', () => {
    const parent = createRequestContext({ tenantId: 't1', operation: 'GET /a' });
    expect(() => deriveContext(parent, { tenantId: 't1\nadmin' })).toThrow(
      expect.objectContaining({ status: 401, code: 'CONTEXT_AUTH_INVALID' }),
    );
    expect(() => deriveContext(parent, { operation: 'GET /a\r\n' })).toThrow(
      expect.objectContaining({ code: 'INVALID_OPTIONS' }),
    );
    expect(deriveContext(parent, { requestId: 'bad id' }).requestId).toMatch(/^[0-9a-f-]{36}$/);
    // A copy is not a context this package built: every field is checked again.
    const copy = { ...parent, tenantId: 't1\nadmin', operation: 'GET /a' };
    expect(() => deriveContext(copy, { operation: 'GET /b' })).toThrow(
      expect.objectContaining({ status: 401, code: 'CONTEXT_AUTH_INVALID' }),
    );
    const forgedIds = { ...parent, correlationId: 'bad\nid', requestId: 'bad\nid' };
    const child = deriveContext(forgedIds, { operation: 'GET /b' });
    expect([child.correlationId, child.requestId]).not.toContain('bad\nid');
    expect(child.correlationIdSource).toBe('generated');
  });

  it('replaces a hostile correlation id patched into a derived context', () => {
    const parent = createRequestContext({ correlationId: 'ok-1' });
    const child = deriveContext(parent, { correlationId: 'bad\nid' });
    expect(child.correlationIdSource).toBe('generated');
    expect(child.correlationId).not.toBe('ok-1');
  });
});

describe('createRequestContext with unusable auth data', () => {
  it.each([
    ['a tenant id with a line break', { tenantId: 't1\nadmin' }, 'tenantId'],
    ['a tenant id longer than 128', { tenantId: 't'.repeat(129) }, 'tenantId'],
    ['an empty subject', { principal: { id: '' } }, 'principal.id'],
    ['a subject longer than 256', { principal: { id: 'u'.repeat(257) } }, 'principal.id'],
    [
      'a principal type with spaces',
      { principal: { id: 'u', type: 'super user' } },
      'principal.type',
    ],
    [
      'roles that are not a list',
      { principal: { id: 'u', roles: 'admin' as never } },
      'principal.roles',
    ],
    [
      'scopes holding a number',
      { principal: { id: 'u', scopes: [1] as never } },
      'principal.scopes',
    ],
  ])('throws a 401 for %s, naming the path only internally', (_label, init, path) => {
    const err = caught(() => createRequestContext(init));
    expect(err).toBeInstanceOf(UnauthorizedError);
    expect(err).toMatchObject({ status: 401, code: 'CONTEXT_AUTH_INVALID', expose: true });
    expect(issuePaths(err)).toEqual([path]);
    expect(err.details).toBeUndefined();
    expect(err.message).toBe('Invalid credentials');
  });

  it('never echoes the refused value', () => {
    const err = caught(() => createRequestContext({ tenantId: 'secret-tenant\u0000' }));
    expect(JSON.stringify(err.toJSON())).not.toContain('secret-tenant');
  });

  it('lists every unusable auth field at once', () => {
    const err = caught(() =>
      createRequestContext({ tenantId: '', principal: { id: '', roles: [5] as never } }),
    );
    expect(issuePaths(err).sort()).toEqual(['principal.id', 'principal.roles', 'tenantId']);
  });

  it('throws the 401 from a job given an unusable tenant', () => {
    expect(caught(() => runJob('j', () => 1, { tenantId: '\n' })).status).toBe(401);
  });
});

describe('createRequestContext with a programming mistake', () => {
  it('reports wrong source, start time and operation as INVALID_OPTIONS (500), never 400', () => {
    const err = caught(() =>
      createRequestContext({
        source: 'queue' as never,
        startedAt: Number.NaN,
        operation: 'x'.repeat(513),
        correlationId: 'ok',
        correlationIdSource: 'header' as never,
      }),
    );
    expect(err).toBeInstanceOf(OptionsError);
    expect(err).toMatchObject({ status: 500, code: 'INVALID_OPTIONS', expose: false });
    expect(issuePaths(err).sort()).toEqual([
      'correlationIdSource',
      'operation',
      'source',
      'startedAt',
    ]);
  });

  it('reports a principal or claims that are not objects as a programming mistake', () => {
    const claims = [['a'], 'a', new Map([['sub', 'u1']]), new Date(0)];
    for (const principal of [null, 'u1', ...claims.map((c) => ({ id: 'u1', claims: c }))]) {
      const err = caught(() => createRequestContext({ principal: principal as never }));
      expect(err).toMatchObject({ status: 500, code: 'INVALID_OPTIONS' });
      expect(issuePaths(err)).toEqual(['principal']);
    }
  });

  it('prefers the programming mistake when auth data is also unusable', () => {
    const err = caught(() => createRequestContext({ source: 'x' as never, tenantId: '' }));
    expect(err.status).toBe(500);
  });

  it('treats null as no input and refuses a non-object', () => {
    expect(createRequestContext(null as never).source).toBe('http');
    for (const input of ['t1', 42, ['t1'], () => ({})]) {
      const err = caught(() => createRequestContext(input as never));
      expect(err).toBeInstanceOf(OptionsError);
      expect(err.status).toBe(500);
      expect((err as OptionsError).issues).toEqual([
        { path: 'options', message: 'must be an object', code: 'invalid_option' },
      ]);
      expect(err.message).toBe('createRequestContext: options must be an object');
    }
  });
});

describe('createRequestContext never answers 400', () => {
  it('returns a context or throws a 401 or 500 AppError for any input shape', () => {
    const anyField = fc.oneof(fc.anything(), fc.string(), fc.array(fc.string()));
    fc.assert(
      fc.property(
        fc.record(
          {
            source: anyField,
            correlationId: anyField,
            correlationIdSource: anyField,
            requestId: anyField,
            tenantId: anyField,
            startedAt: fc.oneof(fc.anything(), fc.double()),
            ip: anyField,
            userAgent: anyField,
            operation: anyField,
            principal: fc.oneof(
              anyField,
              fc.record(
                {
                  id: anyField,
                  type: anyField,
                  roles: anyField,
                  scopes: anyField,
                  claims: anyField,
                },
                { requiredKeys: [] },
              ),
            ),
          },
          { requiredKeys: [] },
        ),
        (init) => {
          try {
            const ctx = createRequestContext(init as never);
            expect(Object.isFrozen(ctx)).toBe(true);
            expect(ctx.correlationId).toMatch(/^[A-Za-z0-9._:-]{1,128}$/);
          } catch (err) {
            expect(isAppError(err)).toBe(true);
            expect([401, 500]).toContain((err as AppError).status);
          }
        },
      ),
      { numRuns: 500 },
    );
  });
});
