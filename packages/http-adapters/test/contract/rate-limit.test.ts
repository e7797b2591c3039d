import type { AddressInfo } from 'node:net';
import { NotFoundError } from '@plinth/errors';
import { createHealth } from '@plinth/health';
import express from 'express';
import Fastify from 'fastify';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { installPlinth } from '../../src/express/index.js';
import { plinthFastify } from '../../src/fastify/index.js';
import {
  createJwtAuth,
  createRateLimit,
  defineRoute,
  type HttpAdapterOptions,
  type RateLimitOptions,
} from '../../src/index.js';
import { captureLogger, type Framework, startApp } from '../support/apps.js';
import { authOptions } from '../support/auth-app.js';
import { FRAMEWORKS, readJson } from '../support/fixture.js';
import { clientToken, staffToken } from '../support/tokens.js';

const routes = [
  defineRoute({ method: 'GET', path: '/hello', handler: () => ({ hello: 'world' }) }),
  defineRoute({
    method: 'GET',
    path: '/missing',
    handler: () => {
      throw new NotFoundError('No such thing');
    },
  }),
  defineRoute({
    method: 'GET',
    path: '/boom',
    handler: () => {
      throw new Error('kaput');
    },
  }),
  defineRoute({
    method: 'POST',
    path: '/items',
    schema: { body: z.object({ name: z.string() }) },
    status: 201,
    handler: ({ body }) => body,
  }),
  defineRoute({
    method: 'POST',
    path: '/login',
    policy: { rateLimit: 'login' },
    handler: () => ({ ok: true }),
  }),
  defineRoute({
    method: 'GET',
    path: '/unlimited',
    policy: { rateLimit: false },
    handler: () => ({ ok: true }),
  }),
];

const health = createHealth({ checks: {} });

function options(limit: RateLimitOptions = {}, extra: Partial<HttpAdapterOptions> = {}) {
  const log = captureLogger();
  return {
    log,
    options: {
      routes,
      health,
      logger: log.logger,
      rateLimit: createRateLimit({
        points: 3,
        durationSeconds: 60,
        policies: { login: { points: 2, durationSeconds: 30 } },
        ...limit,
      }),
      ...extra,
    } satisfies HttpAdapterOptions,
  };
}

async function withApp(
  framework: Framework,
  opts: HttpAdapterOptions,
  run: (url: string) => Promise<void>,
) {
  const app = await startApp(framework, opts);
  try {
    await run(app.url);
  } finally {
    await app.close();
  }
}

/** Express's `trust proxy` and Fastify's `trustProxy`, both `true`. */
async function withTrustingApp(
  framework: Framework,
  opts: HttpAdapterOptions,
  run: (url: string) => Promise<void>,
) {
  if (framework === 'express') {
    const app = express();
    app.set('trust proxy', true);
    const server = installPlinth(app, opts).listen(0, '127.0.0.1');
    await new Promise((r) => server.once('listening', r));
    try {
      await run(`http://127.0.0.1:${(server.address() as AddressInfo).port}`);
    } finally {
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
    }
    return;
  }
  const app = Fastify({ trustProxy: true });
  await app.register(plinthFastify, opts);
  await app.listen({ port: 0, host: '127.0.0.1' });
  try {
    await run(`http://127.0.0.1:${(app.server.address() as AddressInfo).port}`);
  } finally {
    await app.close();
  }
}

const limitOf = (res: Response) => [
  res.headers.get('ratelimit-policy'),
  res.headers.get('ratelimit'),
];

const times = async (n: number, send: () => Promise<Response>) => {
  const out: Response[] = [];
  for (let i = 0; i < n; i++) out.push(await send());
  return out;
};

describe.each(FRAMEWORKS)('rate limiting on %s', (framework) => {
  it('announces the policy and the remaining quota on every counted response', async () => {
    await withApp(framework, options().options, async (url) => {
      const [first, second] = await times(2, () => fetch(`${url}/hello`));
      expect(limitOf(first as Response)).toEqual(['"default";q=3;w=60', '"default";r=2;t=60']);
      expect(limitOf(second as Response)).toEqual(['"default";q=3;w=60', '"default";r=1;t=60']);
    });
  });

  it('answers 429 problem+json with Retry-After once the quota is spent', async () => {
    await withApp(framework, options().options, async (url) => {
      await times(3, () => fetch(`${url}/hello`));
      const res = await fetch(`${url}/hello`);
      expect(res.status).toBe(429);
      expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      expect(res.headers.get('retry-after')).toBe('60');
      expect(res.headers.get('cache-control')).toBe('no-store');
      expect(limitOf(res)).toEqual(['"default";q=3;w=60', '"default";r=0;t=60']);
      expect(await readJson(res)).toMatchObject({ status: 429, code: 'RATE_LIMITED' });
      expect(res.headers.get('x-correlation-id')).toBeTruthy();
    });
  });

  it('puts the headers on 4xx and 5xx problem responses from handlers', async () => {
    await withApp(framework, options().options, async (url) => {
      const missing = await fetch(`${url}/missing`);
      const boom = await fetch(`${url}/boom`);
      expect([missing.status, boom.status]).toEqual([404, 500]);
      expect(limitOf(missing)[1]).toBe('"default";r=2;t=60');
      expect(limitOf(boom)[1]).toBe('"default";r=1;t=60');
    });
  });

  it('counts requests refused before the handler (validation, bad JSON) and answers 429 over quota', async () => {
    await withApp(framework, options().options, async (url) => {
      const post = (body: string) =>
        fetch(`${url}/items`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body,
        });
      const invalid = await post('{"name":1}');
      const malformed = await post('{');
      expect([invalid.status, malformed.status]).toEqual([400, 400]);
      expect([limitOf(invalid)[1], limitOf(malformed)[1]]).toEqual([
        '"default";r=2;t=60',
        '"default";r=1;t=60',
      ]);
      expect((await post('{"name":"ok"}')).status).toBe(201);
      const over = await post('{"name":1}');
      expect(over.status).toBe(429);
      expect((await readJson(over)).code).toBe('RATE_LIMITED');
    });
  });

  it('keeps a per-route policy in its own counters', async () => {
    await withApp(framework, options().options, async (url) => {
      const login = () => fetch(`${url}/login`, { method: 'POST' });
      const [a, b, c] = await times(3, login);
      expect(limitOf(a as Response)).toEqual(['"login";q=2;w=30', '"login";r=1;t=30']);
      expect((b as Response).status).toBe(200);
      expect((c as Response).status).toBe(429);
      expect((c as Response).headers.get('retry-after')).toBe('30');
      const hello = await fetch(`${url}/hello`);
      expect([hello.status, limitOf(hello)[1]]).toEqual([200, '"default";r=2;t=60']);
    });
  });

  it('exempts routes with rateLimit: false, health, the OpenAPI document and the docs page', async () => {
    await withApp(framework, options({ points: 1 }).options, async (url) => {
      for (const path of [
        '/unlimited',
        '/health/live',
        '/health/ready/',
        '/openapi.json',
        '/docs',
      ]) {
        const all = await times(3, () => fetch(`${url}${path}`));
        for (const res of all) {
          expect(res.status, path).toBe(200);
          expect(limitOf(res), path).toEqual([null, null]);
        }
      }
      expect((await fetch(`${url}/hello`)).status).toBe(200);
    });
  });

  it('counts health and docs too with limitSystemRoutes', async () => {
    await withApp(
      framework,
      options({ points: 1, limitSystemRoutes: true }).options,
      async (url) => {
        const [ok, over] = await times(2, () => fetch(`${url}/health/live`));
        expect(limitOf(ok as Response)[1]).toBe('"default";r=0;t=60');
        expect((over as Response).status).toBe(429);
      },
    );
  });

  it('does not count unknown routes or CORS preflights', async () => {
    const { options: opts } = options(
      { points: 1 },
      { cors: { origins: ['https://app.example.com'] } },
    );
    await withApp(framework, opts, async (url) => {
      const unknown = await times(2, () => fetch(`${url}/nope`));
      expect(unknown.map((r) => [r.status, r.headers.get('ratelimit')])).toEqual([
        [404, null],
        [404, null],
      ]);
      const preflight = await fetch(`${url}/hello`, {
        method: 'OPTIONS',
        headers: { origin: 'https://app.example.com', 'access-control-request-method': 'GET' },
      });
      expect(preflight.status).toBe(204);
      expect((await fetch(`${url}/hello`)).status).toBe(200);
    });
  });

  it('lets a page from a listed origin read the rate-limit fields (exposed through CORS)', async () => {
    const { options: opts } = options({}, { cors: { origins: ['https://app.example.com'] } });
    await withApp(framework, opts, async (url) => {
      const res = await fetch(`${url}/hello`, { headers: { origin: 'https://app.example.com' } });
      expect(res.headers.get('ratelimit')).toBe('"default";r=2;t=60');
      const exposed = res.headers.get('access-control-expose-headers')?.split(', ');
      expect(exposed).toEqual(
        expect.arrayContaining(['ratelimit', 'ratelimit-policy', 'retry-after']),
      );
    });
  });

  it('counts an authenticated principal apart from its address and from other principals', async () => {
    const auth = createJwtAuth(authOptions());
    const authRoutes = [defineRoute({ method: 'GET', path: '/me', handler: () => ({ ok: true }) })];
    const opts: HttpAdapterOptions = {
      routes: authRoutes,
      logger: captureLogger().logger,
      preHandlers: auth.preHandlers,
      rateLimit: createRateLimit({ points: 2, durationSeconds: 60 }),
    };
    await withApp(framework, opts, async (url) => {
      const as = (token?: string) => () =>
        fetch(`${url}/me`, token ? { headers: { authorization: `Bearer ${token}` } } : {});
      const staff = await staffToken();
      const client = await clientToken();
      expect((await times(3, as(staff))).map((r) => r.status)).toEqual([200, 200, 429]);
      expect((await times(2, as(client))).map((r) => r.status)).toEqual([200, 200]);
      // Anonymous requests count against the address: two 401s, then 429.
      const anonymous = await times(3, as());
      expect(anonymous.map((r) => r.status)).toEqual([401, 401, 429]);
      expect(limitOf(anonymous[0] as Response)[1]).toBe('"default";r=1;t=60');
      expect(anonymous[2]?.headers.get('www-authenticate')).toBeNull();
      // A refused token counts against the address too.
      expect((await as('not.a.token')()).status).toBe(429);
    });
  });

  it('counts a principal by issuer type and tenant, not by sub alone', async () => {
    const auth = createJwtAuth(authOptions());
    const opts: HttpAdapterOptions = {
      routes: [defineRoute({ method: 'GET', path: '/me', handler: () => ({ ok: true }) })],
      logger: captureLogger().logger,
      preHandlers: auth.preHandlers,
      rateLimit: createRateLimit({ points: 1, durationSeconds: 60 }),
    };
    await withApp(framework, opts, async (url) => {
      const get = async (token: string) =>
        (await fetch(`${url}/me`, { headers: { authorization: `Bearer ${token}` } })).status;
      expect(await get(await clientToken({ sub: 'same', tenant_id: 't1' }))).toBe(200);
      expect(await get(await clientToken({ sub: 'same', tenant_id: 't2' }))).toBe(200);
      expect(await get(await staffToken({ sub: 'same' }))).toBe(200);
      expect(await get(await clientToken({ sub: 'same', tenant_id: 't1' }))).toBe(429);
    });
  });

  it('ignores X-Forwarded-For unless the framework trusts the proxy', async () => {
    await withApp(framework, options({ points: 1 }).options, async (url) => {
      const from = (ip: string) => fetch(`${url}/hello`, { headers: { 'x-forwarded-for': ip } });
      expect((await from('198.51.100.1')).status).toBe(200);
      expect((await from('198.51.100.2')).status).toBe(429);
    });
    await withTrustingApp(framework, options({ points: 1 }).options, async (url) => {
      const from = (ip: string) => fetch(`${url}/hello`, { headers: { 'x-forwarded-for': ip } });
      expect((await from('198.51.100.1')).status).toBe(200);
      expect((await from('198.51.100.2')).status).toBe(200);
      expect((await from('198.51.100.1')).status).toBe(429);
      // One IPv6 /64 is one client.
      expect((await from('2001:db8:1:2::1')).status).toBe(200);
      expect((await from('2001:db8:1:2:ffff::9')).status).toBe(429);
      expect((await from('2001:db8:1:3::1')).status).toBe(200);
    });
  });

  it('sends the same headers for HEAD as for GET and counts both', async () => {
    await withApp(framework, options().options, async (url) => {
      const head = await fetch(`${url}/hello`, { method: 'HEAD' });
      expect(head.status).toBe(200);
      expect(limitOf(head)[1]).toBe('"default";r=2;t=60');
    });
  });

  it('installs nothing when disabled', async () => {
    await withApp(framework, options({ enabled: false, points: 1 }).options, async (url) => {
      const all = await times(3, () => fetch(`${url}/hello`));
      expect(all.map((r) => [r.status, r.headers.get('ratelimit')])).toEqual([
        [200, null],
        [200, null],
        [200, null],
      ]);
    });
  });

  it('logs 429s in the access log without the client key', async () => {
    const { log, options: opts } = options({ points: 1 });
    await withApp(framework, opts, async (url) => {
      await times(2, () => fetch(`${url}/hello`));
    });
    const refused = log.lines.find((l) => l.obj.status === 429);
    expect(refused?.obj).toMatchObject({ errorCode: 'RATE_LIMITED' });
    expect(JSON.stringify(log.lines)).not.toContain('\\u0000');
  });
});

describe('rate-limit wiring', () => {
  it('refuses a route naming an unknown policy when the adapter is built', async () => {
    const bad = defineRoute({
      method: 'GET',
      path: '/x',
      policy: { rateLimit: 'nope' },
      handler: () => undefined,
    });
    const odd = defineRoute({
      method: 'GET',
      path: '/y',
      policy: { rateLimit: 5 as unknown as string },
      handler: () => undefined,
    });
    const rateLimit = createRateLimit();
    await expect(startApp('fastify', { routes: [bad, odd], rateLimit })).rejects.toMatchObject({
      code: 'INVALID_OPTIONS',
      issues: [
        expect.objectContaining({ path: 'routes.0.policy.rateLimit' }),
        expect.objectContaining({ path: 'routes.1.policy.rateLimit' }),
      ],
    });
  });

  it('refuses a rateLimit option that is not from createRateLimit', async () => {
    await expect(startApp('express', { routes, rateLimit: {} as never })).rejects.toMatchObject({
      code: 'INVALID_OPTIONS',
      issues: [expect.objectContaining({ path: 'rateLimit' })],
    });
  });
});
