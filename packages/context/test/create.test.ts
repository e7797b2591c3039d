import { createRequestContext, deriveContext, getContext, runWithContext } from '@plinth/context';
import { isAppError, ValidationError } from '@plinth/errors';
import { describe, expect, it } from 'vitest';

describe('createRequestContext', () => {
  it('fills ids, source and start time with defaults', () => {
    const ctx = createRequestContext();
    expect(ctx.source).toBe('http');
    expect(ctx.correlationIdSource).toBe('generated');
    expect(ctx.correlationId).toMatch(/^[0-9a-f-]{36}$/);
    expect(ctx.requestId).not.toBe(ctx.correlationId);
    expect(typeof ctx.startedAt).toBe('number');
  });

  it('records a given correlation id as client-sourced', () => {
    const ctx = createRequestContext({ correlationId: 'abc-1' });
    expect(ctx).toMatchObject({ correlationId: 'abc-1', correlationIdSource: 'client' });
  });

  it('returns a frozen context whose fields cannot be assigned in strict mode', () => {
    const ctx = createRequestContext({ tenantId: 't1' });
    expect(Object.isFrozen(ctx)).toBe(true);
    expect(() => {
      (ctx as { tenantId?: string }).tenantId = 't2';
    }).toThrow(TypeError);
    expect(ctx.tenantId).toBe('t1');
  });

  it('freezes the principal, its roles, scopes and nested claims', () => {
    const claims = { org: { id: 'o1', teams: ['a'] } };
    const ctx = createRequestContext({
      principal: { id: 'u1', roles: ['admin'], scopes: ['read'], claims },
    });
    const p = ctx.principal!;
    expect(p.type).toBe('user');
    expect(() => (p.roles as string[]).push('root')).toThrow(TypeError);
    expect(() => (p.scopes as string[]).push('write')).toThrow(TypeError);
    const org = p.claims.org as { id: string; teams: string[] };
    expect(() => {
      org.id = 'o2';
    }).toThrow(TypeError);
    expect(() => org.teams.push('b')).toThrow(TypeError);
    claims.org.id = 'changed-by-caller';
    expect(org.id).toBe('o1');
  });

  it('keeps a JSON "__proto__" claim as data instead of making it the prototype', () => {
    const claims = JSON.parse(
      '{"__proto__":{"isAdmin":true},"nested":{"__proto__":{"role":"root"}}}',
    );
    const ctx = createRequestContext({ principal: { id: 'u1', claims } });
    const copy = ctx.principal!.claims as Record<string, Record<string, unknown>>;
    expect(Object.getPrototypeOf(copy)).toBe(Object.prototype);
    expect(copy.isAdmin).toBeUndefined();
    expect(Object.keys(copy)).toEqual(['__proto__', 'nested']);
    expect(Object.getOwnPropertyDescriptor(copy, '__proto__')?.value).toEqual({ isAdmin: true });
    expect(copy.nested!.role).toBeUndefined();
    expect(Object.isFrozen(Object.getOwnPropertyDescriptor(copy, '__proto__')?.value)).toBe(true);
  });

  it('rejects a hostile correlation id with a ValidationError that does not echo it', () => {
    const hostile = 'x\r\nSet-Cookie: session=1';
    const err = captureError(() => createRequestContext({ correlationId: hostile }));
    expect(err).toBeInstanceOf(ValidationError);
    expect(isAppError(err)).toBe(true);
    expect((err as ValidationError).errors.map((e) => e.path)).toEqual(['correlationId']);
    expect(JSON.stringify((err as ValidationError).toJSON())).not.toContain('Set-Cookie');
  });

  it('lists every invalid field at once', () => {
    const err = captureError(() =>
      createRequestContext({
        source: 'queue' as never,
        requestId: '',
        tenantId: 42 as never,
        principal: { id: '' },
        startedAt: Number.NaN,
      }),
    ) as ValidationError;
    expect(err.errors.map((e) => e.path).sort()).toEqual(
      ['principal.id', 'requestId', 'source', 'startedAt', 'tenantId'].sort(),
    );
  });

  it('truncates an oversized user agent instead of failing the request', () => {
    const ctx = createRequestContext({ userAgent: 'a'.repeat(5000) });
    expect(ctx.userAgent).toHaveLength(512);
  });
});

describe('deriveContext', () => {
  it('returns a new frozen context and leaves the parent untouched', () => {
    const parent = createRequestContext({ tenantId: 't1', principal: { id: 'u1', roles: ['a'] } });
    const child = deriveContext(parent, { tenantId: 't2' });
    expect(child).not.toBe(parent);
    expect(Object.isFrozen(child)).toBe(true);
    expect(parent.tenantId).toBe('t1');
    expect(child).toMatchObject({
      tenantId: 't2',
      correlationId: parent.correlationId,
      requestId: parent.requestId,
      startedAt: parent.startedAt,
      correlationIdSource: 'generated',
      principal: { id: 'u1', roles: ['a'] },
    });
  });

  it('can run the derived context', () => {
    const child = deriveContext(createRequestContext(), { operation: 'reindex' });
    expect(runWithContext(child, () => getContext()?.operation)).toBe('reindex');
  });
});

function captureError(fn: () => unknown): unknown {
  try {
    fn();
  } catch (err) {
    return err;
  }
  throw new Error('expected a throw');
}

describe('createRequestContext input shape', () => {
  it('treats null as no input and rejects non-objects', () => {
    expect(createRequestContext(null as never).source).toBe('http');
    expect(() => createRequestContext('t1' as never)).toThrow(ValidationError);
  });
});
