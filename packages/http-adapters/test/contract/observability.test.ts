import { describe, expect, it } from 'vitest';
import { defineRoute } from '../../src/index.js';
import { captureLogger, startApp } from '../support/apps.js';
import { contractOptions, FRAMEWORKS, readJson, useApp } from '../support/fixture.js';
import { contractRoutes } from '../support/routes.js';

describe.each(FRAMEWORKS)('access log on %s', (framework) => {
  const t = useApp(framework, {
    accessLog: { headers: ['user-agent', 'authorization', 'x-tenant'] },
  });
  const lineFor = async (id: string) => {
    await expect.poll(() => t.log.lines.find((l) => l.obj.correlationId === id)).toBeDefined();
    return t.log.lines.find((l) => l.obj.correlationId === id);
  };

  it('writes one info line with method, route template, status, duration and bytes', async () => {
    await fetch(`${t.app.url}/v1/items/abc`, { headers: { 'x-correlation-id': 'log-1' } });
    const line = await lineFor('log-1');
    expect(line?.level).toBe('info');
    expect(line?.msg).toBe('request completed');
    expect(line?.obj).toMatchObject({
      method: 'GET',
      route: '/v1/items/:id',
      status: 200,
      bytesOut: 12,
    });
    expect(line?.obj.durationMs).toEqual(expect.any(Number));
    expect(t.log.lines.filter((l) => l.obj.correlationId === 'log-1')).toHaveLength(1);
  });

  it('logs a 4xx at warn with its error code', async () => {
    await fetch(`${t.app.url}/nope`, { headers: { 'x-correlation-id': 'log-2' } });
    const line = await lineFor('log-2');
    expect(line?.level).toBe('warn');
    expect(line?.obj).toMatchObject({
      status: 404,
      errorCode: 'ROUTE_NOT_FOUND',
      route: undefined,
    });
  });

  it('redacts sensitive query parameters and keeps the others', async () => {
    await fetch(`${t.app.url}/hello?token=abc123secret&page=2`, {
      headers: { 'x-correlation-id': 'log-3' },
    });
    const line = await lineFor('log-3');
    expect(line?.obj.url).toBe('/hello?token=%5Bredacted%5D&page=2');
  });

  it('copies only allow-listed headers and never a credential header', async () => {
    await fetch(`${t.app.url}/hello`, {
      headers: {
        'x-correlation-id': 'log-4',
        authorization: 'Bearer abc.def.ghi',
        'x-tenant': 't1',
        cookie: 'a=b',
      },
    });
    const line = await lineFor('log-4');
    expect(line?.obj.headers).toEqual({ 'user-agent': expect.any(String), 'x-tenant': 't1' });
    expect(JSON.stringify(line)).not.toContain('abc.def.ghi');
  });
});

describe.each(FRAMEWORKS)('error reporter and pre-handlers on %s', (framework) => {
  const reported: { code: string; correlationId: string | undefined }[] = [];
  const t = useApp(framework, {
    routes: [
      ...contractRoutes,
      defineRoute({
        method: 'GET',
        path: '/guarded',
        policy: { role: 'admin' },
        handler: ({ context }) => ({ tenant: context.tenantId }),
      }),
    ],
    preHandlers: [
      ({ policy, headers }) => {
        if (policy.role === 'admin' && headers['x-role'] !== 'admin') {
          throw Object.assign(new Error('denied'), { status: 403, expose: true });
        }
        return policy.role ? { context: { tenantId: 'tenant-1' } } : undefined;
      },
    ],
    onError: (err, ctx) => {
      reported.push({ code: err.code, correlationId: ctx?.correlationId });
      if (err.code === 'CONFLICT') throw new Error('reporter broke');
      if (err.code === 'RATE_LIMITED') return new Promise(() => {});
      return undefined;
    },
    reporterTimeoutMs: 50,
  });

  it('hands each rendered error and its context to onError after the response', async () => {
    const res = await fetch(`${t.app.url}/boom`, { headers: { 'x-correlation-id': 'rep-1' } });
    expect(res.status).toBe(500);
    await expect
      .poll(() => reported.find((r) => r.correlationId === 'rep-1'))
      .toEqual({ code: 'INTERNAL_ERROR', correlationId: 'rep-1' });
  });

  it('keeps the response intact and logs when the reporter throws', async () => {
    const res = await fetch(`${t.app.url}/conflict`, { headers: { 'x-correlation-id': 'rep-2' } });
    expect(res.status).toBe(409);
    await expect
      .poll(() =>
        t.log.lines.find(
          (l) => l.msg === 'error reporter failed' && l.obj.correlationId === 'rep-2',
        ),
      )
      .toBeDefined();
  });

  it('logs a reporter that never settles without holding the response', async () => {
    const res = await fetch(`${t.app.url}/limited`, { headers: { 'x-correlation-id': 'rep-3' } });
    expect(res.status).toBe(429);
    await expect
      .poll(() =>
        t.log.lines.find(
          (l) =>
            l.msg === 'error reporter did not settle in time' && l.obj.correlationId === 'rep-3',
        ),
      )
      .toBeDefined();
  });

  it('lets a pre-handler refuse a request by its route policy', async () => {
    const res = await fetch(`${t.app.url}/guarded`);
    expect(res.status).toBe(403);
  });

  it('lets a pre-handler extend the context the handler runs in', async () => {
    const res = await fetch(`${t.app.url}/guarded`, { headers: { 'x-role': 'admin' } });
    expect(await readJson(res)).toEqual({ tenant: 'tenant-1' });
  });
});

describe.each(FRAMEWORKS)('options on %s', (framework) => {
  it('serves problem debug details only when debug is on', async () => {
    const log = captureLogger();
    const app = await startApp(framework, {
      ...contractOptions(log.logger),
      debug: true,
      hsts: false,
    });
    try {
      const res = await fetch(`${app.url}/boom`);
      const body = await readJson(res);
      expect(body.debug).toBeDefined();
      expect(JSON.stringify(body)).not.toContain('hunter2');
      expect(res.headers.get('strict-transport-security')).toBeNull();
    } finally {
      await app.close();
    }
  });

  it('can turn the access log off', async () => {
    const log = captureLogger();
    const app = await startApp(framework, {
      ...contractOptions(log.logger),
      accessLog: { enabled: false },
    });
    try {
      await fetch(`${app.url}/hello`);
      await fetch(`${app.url}/boom`);
      expect(log.lines.filter((l) => l.msg === 'request completed')).toHaveLength(0);
    } finally {
      await app.close();
    }
  });
});

describe.each(FRAMEWORKS)('route-level query redaction in the access log on %s', (framework) => {
  const upload = defineRoute({
    method: 'GET',
    path: '/files',
    redactQuery: ['name'],
    handler: () => ({ ok: true }),
  });
  const t = useApp(framework, { routes: [...contractRoutes, upload] });
  const urlLogged = async (id: string) => {
    await expect.poll(() => t.log.lines.find((l) => l.obj.correlationId === id)).toBeDefined();
    return t.log.lines.find((l) => l.obj.correlationId === id)?.obj.url;
  };

  it("redacts the values of the route's redactQuery names, in any case, and keeps the rest", async () => {
    await fetch(`${t.app.url}/files?name=Passport%20of%20Jane%20Doe.pdf&page=2`, {
      headers: { 'x-correlation-id': 'rq-1' },
    });
    expect(await urlLogged('rq-1')).toBe('/files?name=%5Bredacted%5D&page=2');
    await fetch(`${t.app.url}/files?NAME=jane.pdf`, { headers: { 'x-correlation-id': 'rq-2' } });
    expect(await urlLogged('rq-2')).toBe('/files?NAME=%5Bredacted%5D');
  });

  it('leaves the same name on other routes to the usual rules', async () => {
    await fetch(`${t.app.url}/hello?name=bench`, { headers: { 'x-correlation-id': 'rq-3' } });
    expect(await urlLogged('rq-3')).toBe('/hello?name=bench');
  });

  it('refuses a redactQuery that is not a list of names (INVALID_OPTIONS)', async () => {
    const { createHttpCore } = await import('../../src/index.js');
    expect(() =>
      createHttpCore({
        routes: [{ ...upload, redactQuery: 'name' as unknown as string[] }],
      }),
    ).toThrow(expect.objectContaining({ code: 'INVALID_OPTIONS' }));
  });
});
