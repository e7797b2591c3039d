import { PassThrough } from 'node:stream';
import { createRequestContext } from '@plinth/context';
import helmet from 'helmet';
import { describe, expect, it, vi } from 'vitest';
import { accessLogRecord, createAccessLog } from '../../src/core/access-log.js';
import { helmetOptions, securityHeaderSet } from '../../src/core/security-headers.js';
import { parseQuery, queryPairs } from '../../src/core/validate.js';
import { createHttpCore, requestContextFor } from '../../src/index.js';

const quietLogger = () => ({ error: vi.fn(), warn: vi.fn(), info: vi.fn(), debug: vi.fn() });

/** A small deterministic generator (mulberry32), so a failing case can be replayed. */
function random(seed: number) {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('queryPairs', () => {
  // Pieces that exercise every branch of form decoding: separators, `+`, valid and
  // broken escapes, multi-byte UTF-8 (also cut short), raw non-ASCII, odd keys.
  const PIECES = [
    'a',
    'b',
    'name',
    '__proto__',
    'constructor',
    '=',
    '&',
    '&&',
    '+',
    '%20',
    '%2B',
    '%3D',
    '%26',
    '%',
    '%2',
    '%zz',
    '%C3%A9',
    '%C3',
    '%E2%82%AC',
    '%ED%A0%80',
    '%F0%9F%98%80',
    '%00',
    'é',
    '€',
    '\u{1F600}',
    ';',
    '?',
    '#',
    ' ',
    'x=1',
    'k=v=w',
    '%EF%BB%BF',
  ];

  it('decodes exactly like URLSearchParams on 20,000 generated queries', () => {
    const next = random(14);
    for (let i = 0; i < 20_000; i++) {
      let query = '';
      const length = Math.floor(next() * 8);
      for (let j = 0; j < length; j++) query += PIECES[Math.floor(next() * PIECES.length)];
      expect(queryPairs(query), query).toEqual([...new URLSearchParams(query)]);
    }
  });

  it('skips empty pairs and keeps a name without a value', () => {
    expect(queryPairs('&&a&b=&=c&')).toEqual([
      ['a', ''],
      ['b', ''],
      ['', 'c'],
    ]);
  });

  it('gives parseQuery repeated names as arrays and nothing inherited', () => {
    const q = parseQuery('/x?a=1&a=2&a=3&__proto__=p&constructor=c');
    expect(q.a).toEqual(['1', '2', '3']);
    // Its prototype is an empty object with no prototype: no member of Object.prototype is reachable.
    const proto = Object.getPrototypeOf(q);
    expect(Object.getPrototypeOf(proto)).toBeNull();
    expect(Reflect.ownKeys(proto)).toEqual([]);
    expect(Object.isFrozen(proto)).toBe(true);
    // Test files are modules (strict mode): writing to a frozen object throws.
    expect(() => {
      proto.planted = 'x';
    }).toThrow(TypeError);
    expect(parseQuery('/y').planted).toBeUndefined();
    expect(Object.getOwnPropertyDescriptor(q, '__proto__')?.value).toBe('p');
    expect(q.constructor).toBe('c');
    const empty = parseQuery('/x?a=1');
    expect(empty.toString).toBeUndefined();
    expect(empty.hasOwnProperty).toBeUndefined();
    expect(empty.constructor).toBeUndefined();
  });

  it('parses any number of distinct and long names the same way', () => {
    // Past the bounded table of names parseQuery reuses (512 names of up to 64 characters).
    for (let i = 0; i < 1500; i++) {
      const long = `n${'x'.repeat(i % 100)}${i}`;
      const q = parseQuery(`/x?p${i}=${i}&${long}=a&${long}=b&name=v${i}`);
      expect(q).toEqual({ [`p${i}`]: String(i), [long]: ['a', 'b'], name: `v${i}` });
    }
  });
});

describe('securityHeaderSet', () => {
  /** What helmet's own middleware does to a response, recorded the slow way. */
  function helmetRun(hsts: Parameters<typeof helmetOptions>[0]) {
    const set: Record<string, string> = {};
    const removed: string[] = [];
    const res = {
      setHeader(n: string, v: string) {
        set[n.toLowerCase()] = v;
      },
      removeHeader(n: string) {
        removed.push(n.toLowerCase());
      },
    };
    helmet(helmetOptions(hsts))({} as never, res as never, () => {});
    return { set, removed };
  }

  it.each([
    ['the default HSTS', undefined],
    ['HSTS off', false as const],
    ['HSTS with preload', { maxAgeSeconds: 600, includeSubDomains: false, preload: true }],
  ])('records exactly what helmet sets and removes with %s', (_name, hsts) => {
    const recorded = securityHeaderSet(hsts);
    const direct = helmetRun(hsts);
    expect(recorded.set).toEqual(direct.set);
    expect(recorded.remove).toEqual(direct.removed);
    expect(Object.isFrozen(recorded.set)).toBe(true);
  });

  it('leaves HSTS out when it is off', () => {
    expect(securityHeaderSet(false).set).not.toHaveProperty('strict-transport-security');
    expect(securityHeaderSet(undefined).set['strict-transport-security']).toBe(
      'max-age=31536000; includeSubDomains',
    );
  });
});

describe('createAccessLog', () => {
  const event = {
    method: 'GET',
    url: '/v1/x?token=abc&page=2',
    route: '/v1/x',
    status: 404,
    startedAt: performance.now(),
    bytesOut: 12,
    aborted: false,
    headers: { 'user-agent': 'curl/8', authorization: 'Bearer secret-value', cookie: 'a=b' },
    context: createRequestContext(),
  };

  it('builds the same line as accessLogRecord, settings resolved once', () => {
    const options = { headers: ['user-agent', 'authorization', 'cookie'] };
    const build = createAccessLog(options);
    const once = build(event);
    const direct = accessLogRecord(event, options);
    expect({ ...once.record, durationMs: 0 }).toEqual({ ...direct.record, durationMs: 0 });
    expect(once.level).toBe('warn');
    // Sensitive names are dropped even when listed.
    expect(once.record.headers).toEqual({ 'user-agent': 'curl/8' });
    expect(once.record.url).toBe('/v1/x?token=%5Bredacted%5D&page=2');
  });

  it('marks an aborted request, with the same fields before `headers`', () => {
    const { record, level, message } = createAccessLog()({ ...event, aborted: true, status: 0 });
    expect(Object.keys(record)).toEqual([
      'method',
      'route',
      'url',
      'status',
      'durationMs',
      'bytesOut',
      'correlationId',
      'requestId',
      'aborted',
      'headers',
    ]);
    expect(level).toBe('warn');
    expect(message).toBe('request aborted');
  });

  it('logs paths under a quiet prefix at the quiet level, and only those', () => {
    const build = createAccessLog({ quietPaths: ['/health'] });
    expect(build({ ...event, url: '/health/live', status: 200 }).level).toBe('debug');
    expect(build({ ...event, url: '/health', status: 200 }).level).toBe('debug');
    expect(build({ ...event, url: '/healthz', status: 200 }).level).toBe('info');
  });
});

describe('requestContextFor', () => {
  it('takes a valid x-correlation-id as the client’s', () => {
    const ctx = requestContextFor({ headers: { 'x-correlation-id': 'abc-1' } });
    expect(ctx.correlationId).toBe('abc-1');
    expect(ctx.correlationIdSource).toBe('client');
    expect(ctx.requestId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('falls back to x-request-id when x-correlation-id is hostile', () => {
    const ctx = requestContextFor({
      headers: { 'x-correlation-id': 'a\r\nb', 'x-request-id': 'lb-7' },
    });
    expect(ctx.correlationId).toBe('lb-7');
    expect(ctx.correlationIdSource).toBe('client');
  });

  it('generates an id when neither header is usable', () => {
    const ctx = requestContextFor({ headers: { 'x-correlation-id': ['a', 'b'] } });
    expect(ctx.correlationIdSource).toBe('generated');
    expect(ctx.correlationId).not.toBe(ctx.requestId);
  });
});

describe('createHttpCore hot path', () => {
  const request = (headers: Record<string, string>, rawHeaders: string[]) =>
    Object.assign(new PassThrough(), { method: 'GET', url: '/h', headers, rawHeaders });

  it('passes the request’s own headers when Authorization is not repeated', async () => {
    let seen: unknown;
    const core = createHttpCore({
      logger: quietLogger(),
      routes: [
        {
          method: 'GET',
          path: '/h',
          handler: ({ headers }) => {
            seen = headers;
          },
        },
      ],
    });
    const headers = { authorization: 'Bearer x' };
    await core.run(
      core.routes[0] as never,
      request(headers, ['Authorization', 'Bearer x']) as never,
    );
    expect(seen).toBe(headers);
  });

  it('passes every value of a repeated Authorization header, on a copy', async () => {
    let seen: Record<string, unknown> = {};
    const core = createHttpCore({
      logger: quietLogger(),
      routes: [
        {
          method: 'GET',
          path: '/h',
          handler: ({ headers }) => {
            seen = headers;
          },
        },
      ],
    });
    const headers = { authorization: 'Bearer a', accept: '*/*' };
    const raw = ['authorization', 'Bearer a', 'Accept', '*/*', 'AUTHORIZATION', 'Bearer b'];
    await core.run(core.routes[0] as never, request(headers, raw) as never);
    expect(seen.authorization).toEqual(['Bearer a', 'Bearer b']);
    expect(seen.accept).toBe('*/*');
    expect(headers.authorization).toBe('Bearer a');
  });

  it('runs pre-handlers and the handler in the context a pre-handler derived', async () => {
    const seen: (string | undefined)[] = [];
    const { getContext } = await import('@plinth/context');
    const core = createHttpCore({
      logger: quietLogger(),
      preHandlers: [
        () => ({ context: { tenantId: 't9' } }),
        async () => void seen.push(getContext()?.tenantId),
        // A second derivation, after an await: the rest runs in that one.
        async ({ context }) => {
          await Promise.resolve();
          return { context: { tenantId: `${context.tenantId}-2` } };
        },
        ({ context }) => void seen.push(getContext()?.tenantId, context.tenantId),
      ],
      routes: [
        {
          method: 'GET',
          path: '/h',
          handler: async ({ context }) => {
            seen.push(getContext()?.tenantId, context.tenantId);
            await new Promise((resolve) => setImmediate(resolve));
            seen.push(getContext()?.tenantId);
            return { ok: true };
          },
        },
      ],
    });
    const res = await core.run(core.routes[0] as never, request({}, []) as never);
    expect(res.status).toBe(200);
    expect(seen).toEqual(['t9', 't9-2', 't9-2', 't9-2', 't9-2', 't9-2']);
    expect(getContext()).toBeUndefined();
  });

  it('builds the context with what leading pre-handlers settle at the start, and skips them', async () => {
    const { createRequestContext, getContext } = await import('@plinth/context');
    const { principal } = createRequestContext({ principal: { id: 'p1' } });
    const calls: string[] = [];
    const settled = Object.assign(() => void calls.push('settled'), {
      atStart: ({ policy }: { policy: { auth?: string } }) =>
        policy.auth === 'none' ? undefined : { context: { principal, tenantId: 't1' } },
    });
    const core = createHttpCore({
      logger: quietLogger(),
      preHandlers: [settled, () => void calls.push('next')],
      routes: [
        { method: 'GET', path: '/h', handler: () => getContext() },
        { method: 'GET', path: '/o', policy: { auth: 'none' }, handler: () => getContext() },
      ],
    });
    const [h, o] = core.routes as never[];
    const res = { setHeader: vi.fn(), getHeader: vi.fn(), on: vi.fn() };
    // Routed before `begin` (Fastify): the first context already has the principal.
    const req = request({}, []);
    const state = core.begin(req as never, res as never, '127.0.0.1', undefined, h);
    expect(state.context).toMatchObject({ principal: { id: 'p1' }, tenantId: 't1' });
    const answer = await core.run(h as never, req as never);
    expect(JSON.parse(String(answer.body))).toMatchObject({ tenantId: 't1', operation: 'GET /h' });
    expect(calls).toEqual(['next']);
    // Routed after `begin` (Express): settled together with the route's operation.
    calls.length = 0;
    const late = request({}, []);
    core.begin(late as never, res as never, '127.0.0.1');
    const lateAnswer = await core.run(h as never, late as never);
    expect(JSON.parse(String(lateAnswer.body))).toMatchObject({ principal: { id: 'p1' } });
    expect(calls).toEqual(['next']);
    // Settled for one route, run for another (auth none): started again without the identity.
    calls.length = 0;
    const other = request({}, []);
    core.begin(other as never, res as never, '127.0.0.1', undefined, h);
    const otherAnswer = JSON.parse(String((await core.run(o as never, other as never)).body));
    expect(otherAnswer.principal).toBeUndefined();
    expect(otherAnswer.tenantId).toBeUndefined();
    expect(otherAnswer.operation).toBe('GET /o');
    expect(calls).toEqual(['settled', 'next']);
  });

  it('runs a pre-handler whose atStart throws or names an identity the context refuses', async () => {
    const { getContext } = await import('@plinth/context');
    const res = { setHeader: vi.fn(), getHeader: vi.fn(), on: vi.fn() };
    for (const atStart of [
      () => {
        throw new Error('broken');
      },
      () => ({ context: { principal: { id: '' } } }),
    ]) {
      let calls = 0;
      const pre = Object.assign(
        () => {
          calls++;
          return { context: { tenantId: 'from-pre-handler' } };
        },
        { atStart },
      );
      const core = createHttpCore({
        logger: quietLogger(),
        preHandlers: [pre],
        routes: [{ method: 'GET', path: '/h', handler: () => getContext() }],
      });
      const [h] = core.routes as never[];
      for (const routed of [h, undefined]) {
        const req = request({}, []);
        core.begin(req as never, res as never, '127.0.0.1', undefined, routed);
        const body = JSON.parse(String((await core.run(h as never, req as never)).body));
        expect(body.tenantId).toBe('from-pre-handler');
        expect(body.principal).toBeUndefined();
      }
      expect(calls).toBe(2);
    }
  });

  it('writes the correlation and CORS headers to a header target instead of the response', () => {
    const core = createHttpCore({
      logger: quietLogger(),
      cors: { origins: ['https://app.example.com'] },
    });
    const res = { setHeader: vi.fn(), getHeader: vi.fn(), on: vi.fn() };
    const target = { header: vi.fn(), headers: vi.fn(), getHeader: vi.fn() };
    const req = { method: 'GET', url: '/', headers: { origin: 'https://app.example.com' } };
    core.begin(req, res as never, '127.0.0.1', target);
    expect(res.setHeader).not.toHaveBeenCalled();
    expect(target.header).toHaveBeenCalledWith('x-correlation-id', expect.any(String));
    expect(target.headers).toHaveBeenCalledWith(
      expect.objectContaining({ 'access-control-allow-origin': 'https://app.example.com' }),
    );
  });

  it('adds no close listener when the access log is off', () => {
    const core = createHttpCore({ logger: quietLogger(), accessLog: { enabled: false } });
    const res = { setHeader: vi.fn(), getHeader: vi.fn(), on: vi.fn() };
    core.begin({ method: 'GET', url: '/', headers: {} }, res as never);
    expect(res.on).not.toHaveBeenCalled();
  });
});
