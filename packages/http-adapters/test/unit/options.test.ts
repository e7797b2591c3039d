import { describe, expect, it } from 'vitest';
import { createCorsPolicy, createHttpCore, defineRoute } from '../../src/index.js';

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
