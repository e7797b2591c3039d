import { describe, expect, it } from 'vitest';
import {
  accessLogRecord,
  buildOpenApiDocument,
  createCorsPolicy,
  createHttpCore,
  createJwtAuth,
  createLoginThrottle,
  createRateLimit,
  defineRoute,
  reply,
} from '../../src/index.js';

const handler = () => ({});
const issuesOf = (fn: () => unknown) => {
  try {
    fn();
  } catch (err) {
    return {
      code: (err as { code: string }).code,
      paths: (err as { issues: { path: string }[] }).issues.map((i) => i.path),
    };
  }
  return undefined;
};

describe('adapter options', () => {
  it('refuses a bad body limit, logger, timeout, reporter and route handler in one INVALID_OPTIONS error', () => {
    const found = issuesOf(() =>
      createHttpCore({
        bodyLimit: 0,
        logger: {} as never,
        reporterTimeoutMs: -1,
        onError: 'x' as never,
        routes: [{ method: 'GET', path: '/a', bodyLimit: 1.5, handler: 'no' as never }],
      }),
    );
    expect(found).toEqual({
      code: 'INVALID_OPTIONS',
      paths: [
        'bodyLimit',
        'routes.0.bodyLimit',
        'routes.0.handler',
        'logger',
        'reporterTimeoutMs',
        'onError',
      ],
    });
  });

  it('refuses debug output when NODE_ENV is production', () => {
    const before = process.env.NODE_ENV;
    process.env.NODE_ENV = 'production';
    try {
      expect(issuesOf(() => createHttpCore({ debug: true }))?.paths).toEqual(['debug']);
    } finally {
      process.env.NODE_ENV = before;
    }
  });

  it.each(['v1/x', '/v1/*', '/v1/x//', '/a/:1b', '/a//b'])(
    'refuses the route template %s',
    (path) => {
      expect(
        issuesOf(() => createHttpCore({ routes: [defineRoute({ method: 'GET', path, handler })] }))
          ?.paths,
      ).toEqual(['routes.0.path']);
    },
  );

  it('refuses two routes with the same method and path', () => {
    const route = defineRoute({ method: 'GET', path: '/a', handler });
    expect(issuesOf(() => createHttpCore({ routes: [route, route] }))?.paths).toEqual(['routes.1']);
  });

  it('refuses options that are not an object, routes that are not a list, and pre-handlers that are not functions', () => {
    expect(issuesOf(() => createHttpCore(null as never))).toEqual({
      code: 'INVALID_OPTIONS',
      paths: ['options'],
    });
    expect(issuesOf(() => createHttpCore({ routes: {} as never }))?.paths).toEqual(['routes']);
    expect(issuesOf(() => createHttpCore({ routes: [null as never] }))?.paths).toEqual([
      'routes.0',
    ]);
    expect(issuesOf(() => createHttpCore({ preHandlers: [5 as never] }))?.paths).toEqual([
      'preHandlers',
    ]);
  });

  it('refuses a health object without live() and ready(), and HSTS settings helmet would throw on', () => {
    expect(issuesOf(() => createHttpCore({ health: {} as never }))?.paths).toEqual(['health']);
    expect(
      issuesOf(() =>
        createHttpCore({ hsts: { maxAgeSeconds: -1, includeSubDomains: 'yes' as never } }),
      )?.paths,
    ).toEqual(['hsts.maxAgeSeconds', 'hsts.includeSubDomains']);
  });

  it('refuses a route declaring roles, scopes or tiers when no pre-handler enforces them (it would be served to anyone)', () => {
    for (const policy of [
      { roles: ['staff'] },
      { scopes: ['clients:read'] },
      { tiers: { verification_level: 2 } },
    ]) {
      const route = defineRoute({ method: 'GET', path: '/a', policy, handler });
      expect(issuesOf(() => createHttpCore({ routes: [route] }))?.paths).toEqual([
        'routes.0.policy',
      ]);
      expect(
        issuesOf(() => createHttpCore({ routes: [route], preHandlers: [() => undefined] }))?.paths,
      ).toEqual(['routes.0.policy']);
      const enforcing = Object.assign(() => undefined, { guards: true });
      expect(
        issuesOf(() => createHttpCore({ routes: [route], preHandlers: [enforcing] })),
      ).toBeUndefined();
    }
  });

  it('accepts guarded routes with createJwtAuth installed', () => {
    const auth = createJwtAuth({
      issuers: [{ issuer: 'i', audience: 'a', keys: { secret: 'x'.repeat(32) } }],
    });
    const route = defineRoute({ method: 'GET', path: '/a', policy: { roles: ['x'] }, handler });
    expect(
      issuesOf(() => createHttpCore({ routes: [route], preHandlers: auth.preHandlers })),
    ).toBeUndefined();
  });

  it('refuses bad options of the other entry points with INVALID_OPTIONS, not a TypeError', () => {
    expect(issuesOf(() => createRateLimit(null as never))?.code).toBe('INVALID_OPTIONS');
    expect(issuesOf(() => createCorsPolicy(null as never))?.code).toBe('INVALID_OPTIONS');
    expect(issuesOf(() => buildOpenApiDocument(null as never))?.code).toBe('INVALID_OPTIONS');
    expect(issuesOf(() => buildOpenApiDocument([], null as never))?.code).toBe('INVALID_OPTIONS');
  });

  it('reports a non-object options argument at path options with the one message', () => {
    const calls: [string, (options: unknown) => unknown][] = [
      ['http-adapters', (o) => createHttpCore(o as never)],
      ['http-adapters', (o) => createCorsPolicy(o as never)],
      ['http-adapters rateLimit', (o) => createRateLimit(o as never)],
      ['http-adapters openapi', (o) => buildOpenApiDocument([], o as never)],
      ['http-adapters jwt', (o) => createJwtAuth(o as never)],
      ['accessLogRecord', (o) => accessLogRecord({} as never, o as never)],
    ];
    for (const [subject, call] of calls) {
      for (const options of [null, 'x', [], () => ({})]) {
        expect(() => call(options)).toThrow(
          expect.objectContaining({
            code: 'INVALID_OPTIONS',
            message: `${subject}: options must be an object`,
            issues: [{ path: 'options', message: 'must be an object', code: 'invalid_option' }],
          }),
        );
      }
    }
  });

  it('refuses login-throttle options that are not an object; null means the defaults', () => {
    for (const options of ['x', [], () => ({})])
      expect(() => createLoginThrottle(options as never)).toThrow(
        expect.objectContaining({
          code: 'INVALID_OPTIONS',
          message: 'loginThrottle: options must be an object',
        }),
      );
    expect(createLoginThrottle(null as never).accountHash).toBeTypeOf('function');
  });

  it('names an accessLog option that is not an object as accessLog', () => {
    for (const accessLog of [null, 'on', []])
      expect(issuesOf(() => createHttpCore({ accessLog: accessLog as never }))?.paths).toEqual([
        'accessLog',
      ]);
  });

  it('names a cors option that is not an object as cors, among the other options', () => {
    expect(issuesOf(() => createHttpCore({ cors: 'yes' as never }))?.paths).toEqual(['cors']);
    expect(issuesOf(() => createHttpCore({ cors: [] as never, bodyLimit: 0 }))?.paths).toEqual([
      'bodyLimit',
      'cors',
    ]);
    expect(issuesOf(() => createHttpCore({ cors: false }))).toBeUndefined();
  });

  it('accepts the root path as a template', () => {
    expect(() =>
      createHttpCore({ routes: [defineRoute({ method: 'GET', path: '/', handler })] }),
    ).not.toThrow();
  });
});

describe('CORS options', () => {
  it("refuses '*' in production", () => {
    expect(issuesOf(() => createCorsPolicy({ origins: '*' }, 'production'))?.paths).toEqual([
      'cors.origins',
    ]);
  });

  it("refuses credentials with '*'", () => {
    expect(
      issuesOf(() => createCorsPolicy({ origins: '*', credentials: true }, 'development'))?.paths,
    ).toEqual(['cors.credentials']);
  });

  it.each([['not a url'], ['https://a.example/path'], ['*.example.com']])(
    'refuses the origin %s',
    (origin) => {
      expect(issuesOf(() => createCorsPolicy({ origins: [origin] }))?.paths).toEqual([
        'cors.origins',
      ]);
    },
  );

  it('refuses a max age outside 0-86400', () => {
    expect(issuesOf(() => createCorsPolicy({ origins: [], maxAgeSeconds: 86_401 }))?.paths).toEqual(
      ['cors.maxAgeSeconds'],
    );
  });

  it("answers any origin with '*' outside production, without credentials", () => {
    const cors = createCorsPolicy({ origins: '*' }, 'development');
    expect(cors('GET', { origin: 'https://x.example' }).headers).toMatchObject({
      'access-control-allow-origin': '*',
    });
    expect(
      cors('GET', { origin: 'https://x.example' }).headers['access-control-allow-credentials'],
    ).toBeUndefined();
  });
});

describe('replies and shutdown helpers', () => {
  it('refuses a reply status outside 200-599: a handler bug becomes a 500, never a 999 on the wire', () => {
    for (const status of [999, 99, 199, 600, 200.5, Number.NaN])
      expect(() => reply(status)).toThrow(
        expect.objectContaining({ code: 'INVALID_REPLY_STATUS', status: 500 }),
      );
    expect(reply(201).status).toBe(201);
  });

  it('refuses a shutdown for something that is not a server or a Fastify app', async () => {
    const { createExpressShutdown } = await import('../../src/express/index.js');
    const { createFastifyShutdown } = await import('../../src/fastify/index.js');
    expect(issuesOf(() => createExpressShutdown(null as never))?.paths).toEqual(['server']);
    expect(issuesOf(() => createFastifyShutdown(null as never))?.paths).toEqual(['app']);
  });
});
