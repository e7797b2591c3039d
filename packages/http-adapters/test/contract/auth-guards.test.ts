import { UnauthorizedError } from '@plinth/errors';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { type AuditEventLike, defineRoute, type PreHandler } from '../../src/index.js';
import { authAppOptions, authRoutes } from '../support/auth-app.js';
import { FRAMEWORKS, readJson, useApp } from '../support/fixture.js';
import { clientToken, staffToken } from '../support/tokens.js';

const events: AuditEventLike[] = [];
const audit = { record: async (e: AuditEventLike) => void events.push(e) };

const get = async (url: string, token?: string) =>
  fetch(url, token ? { headers: { authorization: `Bearer ${token}` } } : {});

describe.each(FRAMEWORKS)('authorization guards on %s', (framework) => {
  const t = useApp(framework, authAppOptions({ audit }));

  it('lets a principal with one of the roles in', async () => {
    const res = await get(`${t.app.url}/admin`, await staffToken());
    expect(await res.json()).toEqual({ id: 'staff-1', type: 'staff', tenantId: null });
  });

  it('answers 403 problem+json to a principal without the role', async () => {
    const res = await get(`${t.app.url}/admin`, await clientToken());
    expect(res.status).toBe(403);
    expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect((await readJson(res)).code).toBe('AUTH_FORBIDDEN');
  });

  it('checks scopes from scope and scp', async () => {
    expect((await get(`${t.app.url}/read`, await clientToken())).status).toBe(200);
    expect((await get(`${t.app.url}/write`, await clientToken())).status).toBe(403);
    const scp = await clientToken({ scope: undefined, scp: ['clients:write'] });
    expect((await get(`${t.app.url}/write`, scp)).status).toBe(200);
  });

  it('checks claim tiers as minimums', async () => {
    expect((await get(`${t.app.url}/verified`, await clientToken())).status).toBe(200);
    expect((await get(`${t.app.url}/kyc3`, await clientToken())).status).toBe(403);
    expect(
      (await get(`${t.app.url}/verified`, await clientToken({ verification_level: undefined })))
        .status,
    ).toBe(403);
  });

  it('refuses a tier claim of the wrong type with 401', async () => {
    expect(
      (await get(`${t.app.url}/verified`, await clientToken({ verification_level: { a: 1 } })))
        .status,
    ).toBe(401);
  });

  it('serves auth-none routes, health and the OpenAPI document without credentials', async () => {
    expect((await get(`${t.app.url}/public`)).status).toBe(200);
    expect((await get(`${t.app.url}/openapi.json`)).status).toBe(200);
  });

  it('runs optional routes anonymously but refuses a bad token there', async () => {
    expect(await (await get(`${t.app.url}/maybe`)).json()).toEqual({ tenantId: null });
    expect((await get(`${t.app.url}/maybe`, 'x.y.z')).status).toBe(401);
  });

  it('records every 401 and 403 as a denied audit event with route and reason', async () => {
    events.length = 0;
    await get(`${t.app.url}/admin`, await clientToken());
    await get(`${t.app.url}/me`);
    expect(events).toEqual([
      expect.objectContaining({
        action: 'auth.access.denied',
        outcome: 'denied',
        actor: { id: 'client-1', type: 'client' },
        tenantId: 't1',
        metadata: { method: 'GET', route: '/admin', code: 'AUTH_FORBIDDEN', reason: 'role' },
      }),
      expect.objectContaining({
        action: 'auth.token.rejected',
        actor: null,
        tenantId: null,
        metadata: { method: 'GET', route: '/me', code: 'AUTH_TOKEN_MISSING', reason: 'missing' },
      }),
    ]);
  });

  it('puts the security requirements in the OpenAPI document', async () => {
    const doc = (await (await get(`${t.app.url}/openapi.json`)).json()) as {
      paths: Record<string, { get: Record<string, unknown> }>;
      components: { securitySchemes: unknown };
    };
    expect(doc.components.securitySchemes).toEqual({
      bearerAuth: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' },
    });
    expect(doc.paths['/write']?.get.security).toEqual([{ bearerAuth: ['clients:write'] }]);
    expect(doc.paths['/admin']?.get['x-roles']).toEqual(['admin']);
    expect(doc.paths['/kyc3']?.get['x-claim-tiers']).toEqual({ verification_level: 3 });
    expect(doc.paths['/maybe']?.get.security).toEqual([{}, { bearerAuth: [] }]);
    expect(doc.paths['/public']?.get.security).toBeUndefined();
  });
});

describe.each(FRAMEWORKS)('denials against a named resource on %s', (framework) => {
  const own: AuditEventLike[] = [];
  const thing = defineRoute({
    method: 'DELETE',
    path: '/things/:id',
    schema: { params: z.object({ id: z.uuid() }) },
    policy: { roles: ['admin'], auditResource: { type: 'thing', param: 'id' } },
    handler: () => undefined,
  });
  const t = useApp(
    framework,
    authAppOptions({
      routes: [...authRoutes, thing],
      audit: { record: async (e: AuditEventLike) => void own.push(e) },
    }),
  );
  const del = async (id: string) =>
    fetch(`${t.app.url}/things/${id}`, {
      method: 'DELETE',
      headers: { authorization: `Bearer ${await clientToken()}` },
    });

  it('records the resource of the route, from its validated params', async () => {
    own.length = 0;
    const id = '0b8a6f2e-4a8e-4c1e-9f55-1d2a3b4c5d6e';
    expect((await del(id)).status).toBe(403);
    expect(own).toEqual([
      expect.objectContaining({
        action: 'auth.access.denied',
        resource: { type: 'thing', id },
        metadata: expect.objectContaining({ route: '/things/:id', reason: 'role' }),
      }),
    ]);
  });

  it('records no resource when the id does not validate', async () => {
    own.length = 0;
    expect((await del('not-a-uuid')).status).toBe(400);
    expect((await del('%27%3B--')).status).toBe(400);
    expect(own.every((e) => e.resource === undefined)).toBe(true);
  });
});

describe.each(FRAMEWORKS)('a failing audit writer on %s', (framework) => {
  const t = useApp(
    framework,
    authAppOptions({
      audit: {
        record: () => {
          throw new Error('audit down');
        },
      },
    }),
  );
  const rejecting = useApp(
    framework,
    authAppOptions({ audit: { record: () => Promise.reject(new Error('x')) } }),
  );
  const hanging = useApp(
    framework,
    authAppOptions({ audit: { record: () => new Promise(() => {}) } }),
  );

  it('never changes the 401 and logs the failure', async () => {
    for (const app of [t, rejecting, hanging]) {
      const res = await get(`${app.app.url}/me`);
      expect(res.status).toBe(401);
    }
    await new Promise((r) => setImmediate(r));
    expect(t.log.lines.some((l) => l.msg === 'audit writer failed to record a denial')).toBe(true);
    expect(
      rejecting.log.lines.some((l) => l.msg === 'audit writer failed to record a denial'),
    ).toBe(true);
  });
});

describe.each(FRAMEWORKS)('401s not raised by the JWT pre-handler on %s', (framework) => {
  const routes = [
    defineRoute({ method: 'GET', path: '/bad-claims', handler: () => 'unreachable' }),
    defineRoute({
      method: 'GET',
      path: '/login-failed',
      policy: { auth: 'none' },
      handler: () => {
        throw new UnauthorizedError('Wrong password', { code: 'LOGIN_FAILED' });
      },
    }),
  ];
  // A pre-handler whose context patch @plinth/context refuses (CONTEXT_AUTH_INVALID).
  const badTenant: PreHandler = (req) =>
    req.route === '/bad-claims' ? { context: { tenantId: 't1\n' } } : undefined;
  const t = useApp(framework, { routes, preHandlers: [badTenant], audit });

  it('maps @plinth/context CONTEXT_AUTH_INVALID to 401 with an invalid_token challenge, audited', async () => {
    events.length = 0;
    const res = await get(`${t.app.url}/bad-claims`);
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toBe('Bearer error="invalid_token"');
    expect(events[0]?.metadata.code).toBe('CONTEXT_AUTH_INVALID');
  });

  it('gives any other 401 a plain Bearer challenge', async () => {
    const res = await get(`${t.app.url}/login-failed`);
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toBe('Bearer');
  });
});
