import { createRequestContext } from '@plinth/context';
import { describe, expect, it } from 'vitest';
import { createTokenCache, tokenKey } from '../../src/auth/token-cache.js';
import { createJwtAuth, type HandlerRequest } from '../../src/index.js';
import { authOptions } from '../support/auth-app.js';
import { clientToken, nowSeconds } from '../support/tokens.js';

const entry = (expiresAt: number) => ({ value: 'v', expiresAt, notBefore: 0 });

describe('verified-token cache', () => {
  it('keys tokens by a SHA-256 of the whole token, never the token text', () => {
    expect(tokenKey('a.b.c')).toHaveLength(43);
    expect(tokenKey('a.b.c')).not.toContain('a.b');
  });

  it('evicts the least recently used entry beyond maxEntries', () => {
    const c = createTokenCache<string>({ maxEntries: 2 });
    c.set('a', 10, entry(1e15), 0);
    c.set('b', 10, entry(1e15), 0);
    c.get('a', 1);
    c.set('c', 10, entry(1e15), 0);
    expect([c.get('a', 1), c.get('b', 1), c.get('c', 1)].map(Boolean)).toEqual([true, false, true]);
  });

  it('keeps an entry in use while new tokens keep arriving, without moving it on every hit', () => {
    const c = createTokenCache<string>({ maxEntries: 8 });
    c.set('hot', 10, entry(1e15), 0);
    for (let i = 0; i < 300; i++) {
      c.set(`new-${i}`, 10, entry(1e15), 0);
      // Three new tokens a hit: a hot entry moved too rarely would fall off the end.
      if (i % 3 === 2) expect(c.get('hot', 1), `after ${i + 1} new tokens`).toBeDefined();
      expect(c.size).toBeLessThanOrEqual(8);
    }
    // Entries nobody read were evicted oldest first.
    expect(c.get('new-291', 1)).toBeUndefined();
    expect(c.get('new-299', 1)).toBeDefined();
  });

  it('stays under maxBytes and refuses an entry larger than the bound', () => {
    const c = createTokenCache<string>({ maxBytes: 2000 });
    for (const k of ['a', 'b', 'c', 'd']) c.set(k, 500, entry(1e15), 0);
    expect(c.bytes).toBeLessThanOrEqual(2000);
    c.set('big', 5000, entry(1e15), 0);
    expect(c.get('big', 1)).toBeUndefined();
  });

  it('forgets an entry at exp or after maxTtlMs, whichever is first', () => {
    const c = createTokenCache<string>({ maxTtlMs: 1000 });
    c.set('short', 10, entry(500), 0);
    c.set('long', 10, entry(1e15), 0);
    expect(c.get('short', 500)).toBeUndefined();
    expect(c.get('long', 999)).toBeDefined();
    expect(c.get('long', 1000)).toBeUndefined();
  });

  it('replaces an entry set twice and clears everything', () => {
    const c = createTokenCache<string>();
    c.set('a', 10, entry(1e15), 0);
    c.set('a', 10, entry(1e15), 0);
    expect(c.size).toBe(1);
    c.clear();
    expect([c.size, c.bytes]).toEqual([0, 0]);
  });
});

describe('cached tokens against the clock', () => {
  const req = (token: string) =>
    ({
      url: '/x',
      headers: { authorization: `Bearer ${token}` },
      context: createRequestContext(),
      policy: {},
    }) as unknown as HandlerRequest;

  it('refuses a cached token once its exp has passed (beyond the skew)', async () => {
    let now = Date.now();
    const auth = createJwtAuth(authOptions({ now: () => now, clockSkewSeconds: 0 }));
    const token = await clientToken({ exp: nowSeconds() + 60 });
    await auth.preHandlers[0](req(token));
    now += 61_000;
    await expect(auth.preHandlers[0](req(token))).rejects.toMatchObject({
      status: 401,
      context: { reason: 'expired' },
    });
  });

  it('refuses a cached token before its nbf when the clock goes back', async () => {
    let now = Date.now();
    const auth = createJwtAuth(authOptions({ now: () => now, clockSkewSeconds: 0 }));
    const token = await clientToken({ nbf: nowSeconds() });
    await auth.preHandlers[0](req(token));
    now -= 120_000;
    await expect(auth.preHandlers[0](req(token))).rejects.toMatchObject({
      status: 401,
      context: { reason: 'not_yet_valid' },
    });
  });

  it('verifies again after clearCache and with the cache off', async () => {
    const token = await clientToken();
    const auth = createJwtAuth(authOptions());
    await auth.preHandlers[0](req(token));
    auth.clearCache();
    expect((await auth.preHandlers[0](req(token)))?.context?.tenantId).toBe('t1');
    const off = createJwtAuth(authOptions({ cache: false }));
    await off.preHandlers[0](req(token));
    expect((await off.preHandlers[0](req(token)))?.context?.tenantId).toBe('t1');
  });

  it('answers a cached token only when the request would pass every bearer check', async () => {
    const token = await clientToken();
    const auth = createJwtAuth(authOptions({ maxTokenBytes: token.length + 2 }));
    const [authenticate] = auth.preHandlers;
    const ask = (url: string, authorization: unknown) =>
      authenticate({ ...req(token), url, headers: { authorization } } as HandlerRequest);
    expect((await ask('/x', `Bearer ${token}`))?.context?.tenantId).toBe('t1');
    // The same, now cached, token: each refusal still names its reason.
    const refused = async (url: string, authorization: unknown, reason: string) =>
      expect(ask(url, authorization)).rejects.toMatchObject({ status: 401, context: { reason } });
    await refused('/x?a=1&access_token=x', `Bearer ${token}`, 'query_token');
    await refused('/x', [`Bearer ${token}`, `Bearer ${token}`], 'multiple_headers');
    await refused('/x', `bearer ${token}`, 'scheme');
    await refused('/x', `Bearer  ${token}`, 'scheme');
    await refused('/x', `Bearer ${token} `, 'scheme');
    const small = createJwtAuth(authOptions({ maxTokenBytes: token.length - 1 }));
    await expect(
      small.preHandlers[0]({ ...req(token), url: '/x' } as HandlerRequest),
    ).rejects.toMatchObject({ context: { reason: 'too_large' } });
  });
});
