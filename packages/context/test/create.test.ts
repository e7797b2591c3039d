import { createRequestContext, deriveContext, getContext, runWithContext } from '@plinth/context';
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

  it('cuts an oversized user agent or ip and drops a non-string one instead of failing the request', () => {
    const ctx = createRequestContext({ userAgent: 'a'.repeat(5000), ip: '1'.repeat(600) });
    expect(ctx.userAgent).toHaveLength(512);
    expect(ctx.ip).toHaveLength(512);
    const odd = createRequestContext({ userAgent: ['x'] as never, ip: 42 as never });
    expect(odd).toMatchObject({ userAgent: undefined, ip: undefined });
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

  it('carries every field of a built parent over, whatever the patch leaves alone', () => {
    const parent = createRequestContext({
      source: 'job',
      correlationId: 'c-1',
      requestId: 'r-1',
      tenantId: 't1',
      principal: { id: 'u1', type: 'staff', roles: ['a'], scopes: ['s'], claims: { k: 1 } },
      startedAt: 1_700_000_000_000,
      ip: '10.0.0.1',
      userAgent: 'agent',
      operation: 'reindex',
    });
    // Every field is set, so a field the derivation forgot would show here.
    expect(Object.values(parent).every((v) => v !== undefined)).toBe(true);
    expect(deriveContext(parent, {})).toEqual(parent);
    expect(deriveContext({ ...parent }, {})).toEqual(parent);
    expect(deriveContext(parent, { tenantId: undefined })).toEqual({
      ...parent,
      tenantId: undefined,
    });
  });

  it('reuses the parent principal instead of copying its claims again', () => {
    const parent = createRequestContext({ principal: { id: 'u1', claims: { org: { id: 'o1' } } } });
    const child = deriveContext(parent, { operation: 'GET /v1/clients/:id' });
    expect(child.principal).toBe(parent.principal);
    expect(child.operation).toBe('GET /v1/clients/:id');
  });

  it('can run the derived context', () => {
    const child = deriveContext(createRequestContext(), { operation: 'reindex' });
    expect(runWithContext(child, () => getContext()?.operation)).toBe('reindex');
  });
});
