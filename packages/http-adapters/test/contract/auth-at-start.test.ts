import { getContext } from '@plinth/context';
import { describe, expect, it } from 'vitest';
import { createJwtAuth, defineRoute, type PreHandler } from '../../src/index.js';
import { authOptions, authRoutes } from '../support/auth-app.js';
import { FRAMEWORKS, useApp } from '../support/fixture.js';
import { clientToken, nowSeconds, staffToken } from '../support/tokens.js';

// A token the verified-token cache holds names the principal as soon as the route is known
// (`PreHandler.atStart`): the context is built with it, and `authenticate` is not called.

const seen = () => {
  const ctx = getContext();
  return { id: ctx?.principal?.id ?? null, tenantId: ctx?.tenantId ?? null, op: ctx?.operation };
};
const routes = [
  ...authRoutes,
  defineRoute({ method: 'GET', path: '/who', handler: seen }),
  defineRoute({ method: 'GET', path: '/open', policy: { auth: 'none' }, handler: seen }),
];

/** `pre` counting its calls, keeping its `atStart`. */
function counted(pre: PreHandler) {
  const counter = Object.assign(
    (request: Parameters<PreHandler>[0]) => {
      counter.calls++;
      return pre(request);
    },
    pre.atStart ? { atStart: pre.atStart, calls: 0 } : { calls: 0 },
  );
  return counter;
}

const get = (url: string, token?: string, headers: Record<string, string> = {}) =>
  fetch(url, { headers: token ? { ...headers, authorization: `Bearer ${token}` } : headers });

describe.each(FRAMEWORKS)('a cached token settled at the start on %s', (framework) => {
  let clock = Date.now();
  const [authenticate, authorize] = createJwtAuth(authOptions({ now: () => clock })).preHandlers;
  const authn = counted(authenticate);
  const later: (string | null)[] = [];
  // Runs after both: sees the principal in the context whichever way it got there.
  const after: PreHandler = () => void later.push(getContext()?.principal?.id ?? null);
  const t = useApp(framework, { routes, preHandlers: [authn, authorize, after] });

  it('verifies a token once; later requests with it skip authenticate and see the same principal', async () => {
    const token = await clientToken({ sub: 'at-start-1' });
    const before = authn.calls;
    later.length = 0;
    const first = await (await get(`${t.app.url}/who`, token)).json();
    expect(authn.calls).toBe(before + 1);
    for (let i = 0; i < 3; i++) {
      expect(await (await get(`${t.app.url}/who`, token)).json()).toEqual(first);
    }
    expect(first).toEqual({ id: 'at-start-1', tenantId: 't1', op: 'GET /who' });
    expect(authn.calls).toBe(before + 1);
    expect(later).toEqual(Array(4).fill('at-start-1'));
  });

  it('leaves auth-none routes without a principal, cached token or not', async () => {
    const token = await staffToken({ sub: 'at-start-2' });
    expect((await get(`${t.app.url}/who`, token)).status).toBe(200);
    const res = await get(`${t.app.url}/open`, token);
    expect(await res.json()).toEqual({ id: null, tenantId: null, op: 'GET /open' });
  });

  it('still refuses a cached token once it has expired, with its reason', async () => {
    const token = await clientToken({ sub: 'at-start-3', exp: nowSeconds() + 60 });
    expect((await get(`${t.app.url}/who`, token)).status).toBe(200);
    const calls = authn.calls;
    clock = Date.now() + 60_000 + 31_000; // past exp and the 30 s skew
    try {
      const res = await get(`${t.app.url}/who`, token);
      expect(res.status).toBe(401);
      expect(res.headers.get('www-authenticate')).toBe('Bearer error="invalid_token"');
      expect(authn.calls).toBe(calls + 1);
      const line = t.log.lines.at(-1)?.obj;
      expect(line).toMatchObject({ status: 401, reason: 'expired' });
      expect(JSON.stringify(line)).not.toContain(token);
    } finally {
      clock = Date.now();
    }
  });

  it('refuses a cached token sent in a refused form, with its reason', async () => {
    const token = await clientToken({ sub: 'at-start-4' });
    expect((await get(`${t.app.url}/who`, token)).status).toBe(200);
    const query = await get(`${t.app.url}/who?access_token=x`, token);
    expect(query.status).toBe(401);
    expect(t.log.lines.at(-1)?.obj).toMatchObject({ reason: 'query_token' });
    const scheme = await fetch(`${t.app.url}/who`, {
      headers: { authorization: `bearer ${token}` },
    });
    expect(scheme.status).toBe(401);
    expect(t.log.lines.at(-1)?.obj).toMatchObject({ reason: 'scheme' });
  });
});

describe.each(FRAMEWORKS)('pre-handlers that cannot be settled at the start on %s', (framework) => {
  const [authenticate, authorize] = createJwtAuth(authOptions()).preHandlers;
  const authn = counted(authenticate);
  const order: string[] = [];
  // Without `atStart`, and first: authenticate must run after it on every request.
  const first: PreHandler = () => void order.push(`first:${getContext()?.principal?.id ?? '-'}`);
  const t = useApp(framework, { routes, preHandlers: [first, authn, authorize] });

  it('calls a pre-handler with atStart on every request when one without comes first', async () => {
    const token = await clientToken({ sub: 'at-start-5' });
    const before = authn.calls;
    for (let i = 0; i < 3; i++) expect((await get(`${t.app.url}/who`, token)).status).toBe(200);
    expect(authn.calls).toBe(before + 3);
    expect(order.slice(-3)).toEqual(['first:-', 'first:-', 'first:-']);
  });
});

describe('createJwtAuth atStart', () => {
  it('is offered only while the verified-token cache is on', () => {
    expect(createJwtAuth(authOptions()).preHandlers[0].atStart).toBeTypeOf('function');
    expect(createJwtAuth(authOptions({ cache: false })).preHandlers[0].atStart).toBeUndefined();
    const off = createJwtAuth(authOptions({ cache: { maxEntries: 0 } }));
    expect(off.preHandlers[0].atStart).toBeUndefined();
    expect(createJwtAuth(authOptions()).preHandlers[1].atStart).toBeUndefined();
  });
});
