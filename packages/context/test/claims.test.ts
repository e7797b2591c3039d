import { createRequestContext } from '@plinth/context';
import { isAppError, type OptionsError } from '@plinth/errors';
import { describe, expect, it } from 'vitest';

function refused(claims: Record<string, unknown>): OptionsError {
  try {
    createRequestContext({ principal: { id: 'u1', claims } });
  } catch (err) {
    if (isAppError(err)) return err as OptionsError;
    throw err;
  }
  throw new Error('expected the claims to be refused');
}

class Tier {
  level = 2;
}

describe('principal claims', () => {
  // Object.freeze cannot stop Date#setTime, Set#add or Map#set: such values would stay
  // mutable inside a "deeply frozen" context, so they are refused (issue 13.12).
  it.each([
    ['a Date', { authTime: new Date(0) }, 'principal.claims.authTime'],
    ['a Set', { groups: new Set(['a']) }, 'principal.claims.groups'],
    ['a Map', { tiers: new Map([['k', 1]]) }, 'principal.claims.tiers'],
    ['a Date nested in an array', { org: { seen: [new Date(0)] } }, 'principal.claims.org'],
    ['a Buffer', { raw: Buffer.from('x') }, 'principal.claims.raw'],
    ['a class instance', { tier: new Tier() }, 'principal.claims.tier'],
    ['a function', { check: () => true }, 'principal.claims.check'],
    ['a bigint', { n: 1n }, 'principal.claims.n'],
  ])('refuses %s as a programming mistake naming the claim', (_label, claims, path) => {
    const err = refused(claims);
    expect(err).toMatchObject({ status: 500, code: 'INVALID_OPTIONS' });
    expect(err.issues.map((i) => i.path)).toEqual([path]);
  });

  it('does not echo a claim name that is not a plain name', () => {
    const err = refused({ 'evil\r\nkey': new Date(0) });
    expect(err.issues.map((i) => i.path)).toEqual(['principal.claims']);
    expect(err.message).not.toContain('evil');
  });

  it('keeps JSON claims as a deeply frozen copy', () => {
    const claims = { n: 1, ok: true, none: null, list: [{ a: 'b' }], verification_level: 2 };
    const ctx = createRequestContext({ principal: { id: 'u1', claims } });
    const copy = ctx.principal!.claims as typeof claims;
    expect(copy).toEqual(claims);
    expect(copy).not.toBe(claims);
    expect(Object.isFrozen(copy.list[0])).toBe(true);
    expect(() => copy.list.push({ a: 'c' })).toThrow(TypeError);
  });

  it('accepts claims built without a prototype', () => {
    const claims = Object.assign(Object.create(null), { sub: 'u1' });
    const ctx = createRequestContext({ principal: { id: 'u1', claims } });
    expect(ctx.principal!.claims.sub).toBe('u1');
  });

  it('cuts cycles and nesting deeper than 16 levels instead of throwing', () => {
    const loop: Record<string, unknown> = { name: 'loop' };
    loop.self = loop;
    let deep: unknown = 'bottom';
    for (let i = 0; i < 40; i++) deep = [deep];
    const ctx = createRequestContext({ principal: { id: 'u1', claims: { loop, deep } } });
    const claims = ctx.principal!.claims as { loop: { self: unknown }; deep: unknown };
    expect(claims.loop.self).toBe('[circular]');
    expect(JSON.stringify(claims.deep)).toContain('"[depth]"');
  });
});
