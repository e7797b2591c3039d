import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { apiFor, expectProblem, rawRequest, statusOf } from './support/api.js';
import { FRAMEWORKS, type ServiceProcess, startService } from './support/harness.js';
import { tenantTokens } from './support/tokens.js';

/** Every route of DESIGN §6 (method, path template with `{param}`). */
export const CONTRACT_ROUTES: [string, string][] = [
  ['post', '/v1/clients'],
  ['get', '/v1/clients'],
  ['get', '/v1/clients/{}'],
  ['patch', '/v1/clients/{}'],
  ['delete', '/v1/clients/{}'],
  ['get', '/v1/audit-events'],
  ['post', '/v1/clients/{}/documents'],
  ['get', '/v1/clients/{}/documents'],
  ['get', '/v1/documents/{}/content'],
  ['delete', '/v1/documents/{}'],
  ['post', '/v1/users'],
  ['post', '/v1/auth/login'],
  ['post', '/v1/auth/refresh'],
  ['post', '/v1/auth/logout'],
  ['get', '/v1/me'],
  ['get', '/v1/me/documents'],
];

const template = (path: string) => path.replace(/\{[^}]+\}|:[A-Za-z_]\w*/g, '{}');

describe.each(FRAMEWORKS)('OpenAPI, docs and health on %s', (framework) => {
  const api = apiFor(framework);

  it('serves an OpenAPI 3.1 document that lists every route of the contract', async () => {
    const reply = await api.call('GET', '/openapi.json');
    expect(reply.status).toBe(200);
    expect(reply.body.openapi).toMatch(/^3\.1\./);
    const listed = new Set<string>();
    for (const [path, item] of Object.entries(reply.body.paths as Record<string, object>))
      for (const method of Object.keys(item)) listed.add(`${method} ${template(path)}`);
    for (const [method, path] of CONTRACT_ROUTES) expect(listed).toContain(`${method} ${path}`);
  });

  it('declares bearer security on the protected routes and not on login', async () => {
    const { body } = await api.call('GET', '/openapi.json');
    const paths = body.paths as Record<string, Record<string, { security?: unknown[] }>>;
    const op = (path: string, method: string) =>
      Object.entries(paths).find(([p]) => template(p) === path)?.[1]?.[method];
    const secured = (o: { security?: unknown[] } | undefined) =>
      (o?.security ?? body.security ?? []).length > 0;
    expect(secured(op('/v1/clients', 'post'))).toBe(true);
    expect(secured(op('/v1/audit-events', 'get'))).toBe(true);
    expect(op('/v1/auth/login', 'post')?.security ?? []).toEqual([]);
  });

  it('serves the docs UI at /docs as HTML', async () => {
    const res = await fetch(`${api.url}/docs`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    await res.text();
  });

  it('answers /health/live with 200 application/health+json, also with a slash and HEAD', async () => {
    for (const path of ['/health/live', '/health/live/']) {
      const reply = await api.call('GET', path);
      expect(reply.status).toBe(200);
      expect(reply.headers.get('content-type')).toMatch(/^application\/health\+json/);
      expect(reply.body.status).toBe('pass');
    }
    const head = await fetch(`${api.url}/health/live`, { method: 'HEAD' });
    expect(head.status).toBe(200);
  });

  it('answers /health/ready with 200 and checks for PostgreSQL, S3 and KMS (and Redis when configured)', async () => {
    const reply = await api.call('GET', '/health/ready');
    expect(reply.status, reply.text).toBe(200);
    expect(reply.headers.get('content-type')).toMatch(/^application\/health\+json/);
    expect(['pass', 'warn']).toContain(reply.body.status);
    const names = Object.keys(reply.body.checks ?? {})
      .join(' ')
      .toLowerCase();
    expect(names).toMatch(/postgres|database|db/);
    expect(names).toMatch(/s3|documents|storage/);
    expect(names).toMatch(/kms|key/);
    if (inject('contract').redisUrl) expect(names).toMatch(/redis/);
    expect(reply.text).not.toMatch(/postgres:\/\/|secret/i);
  });

  it('exempts health, docs and OpenAPI from the rate limit headers', async () => {
    for (const path of ['/health/live', '/openapi.json'])
      expect((await api.call('GET', path)).headers.get('ratelimit')).toBeNull();
  });
});

describe.each(FRAMEWORKS)(
  'server settings from the environment on %s (an instance with 1 s request timeouts and DOCS_ENABLED=false)',
  (framework) => {
    let configured: ServiceProcess;

    beforeAll(async () => {
      const env = inject('contract').services[framework].env;
      configured = await startService(
        framework,
        { ...env, HTTP_REQUEST_TIMEOUT: '1s', HTTP_HEADERS_TIMEOUT: '1s', DOCS_ENABLED: 'false' },
        { name: `${framework}-configured` },
      );
    });
    afterAll(() => configured?.stop());

    const expectTimedOut = async (request: string) => {
      const started = Date.now();
      const raw = await rawRequest(configured.port, request, 10_000);
      expect(statusOf(raw), raw.slice(0, 300)).toBe(408);
      expect(raw).toMatch(/\r\ncontent-type: application\/problem\+json/i);
      // 1 s, checked every second: well before the 10 s the client would wait.
      expect(Date.now() - started).toBeLessThan(5_000);
      expect((await apiFor(framework, configured.url).call('GET', '/health/live')).status).toBe(
        200,
      );
    };

    it('answers a request whose body stops arriving with 408 problem+json, and stays up', async () => {
      const { staff } = await tenantTokens();
      await expectTimedOut(
        `POST /v1/clients HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${staff}\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"name":`,
      );
    });

    it('answers a request whose headers stop arriving with 408 problem+json, and stays up', async () => {
      await expectTimedOut('GET /health/live HTTP/1.1\r\nHost: x\r\n');
    });

    it('does not serve the docs UI, and still serves /openapi.json', async () => {
      const api = apiFor(framework, configured.url);
      expectProblem(await api.call('GET', '/docs'), 404);
      expect((await api.call('GET', '/openapi.json')).status).toBe(200);
    });
  },
);

describe.each(FRAMEWORKS)('graceful shutdown of %s', (framework) => {
  it('finishes in-flight requests on SIGTERM, fails readiness, then exits 0', async () => {
    const env = inject('contract').services[framework].env;
    const service = await startService(
      framework,
      { ...env, SHUTDOWN_DRAIN_DELAY: '1s' },
      { name: `${framework}-shutdown` },
    );
    const api = apiFor(framework, service.url);
    const t = await tenantTokens();
    // A large upload in flight when SIGTERM arrives.
    const client = await api.call('POST', '/v1/clients', {
      token: t.staff,
      json: { name: 'Shutdown', email: `shutdown.${Date.now()}@example.com` },
    });
    expect(client.status, client.text).toBe(201);
    const inflight = api.call('POST', `/v1/clients/${client.body.id}/documents?name=big.pdf`, {
      token: t.staff,
      body: Buffer.alloc(4 * 1024 * 1024, 7),
      headers: { 'content-type': 'application/pdf' },
    });
    await new Promise((r) => setTimeout(r, 50));
    service.terminate();
    await new Promise((r) => setTimeout(r, 200));
    const ready = await api.call('GET', '/health/ready');
    expect(ready.status).toBe(503);
    expect((await inflight).status).toBe(201);
    await service.stop();
    expect(service.output()).not.toMatch(/"level":(50|60)/);
  });
});

describe.each(FRAMEWORKS)('start-up on %s', (framework) => {
  it('refuses to start with an invalid configuration, naming the key and not the value', async () => {
    const env = inject('contract').services[framework].env;
    const secretValue = 'short';
    await expect(
      startService(
        framework,
        { ...env, AUTH_JWT_SECRET: secretValue, PORT: 'not-a-port' },
        { name: `${framework}-badconfig`, timeoutMs: 20_000 },
      ),
    ).rejects.toThrow(/AUTH_JWT_SECRET[\s\S]*PORT|PORT[\s\S]*AUTH_JWT_SECRET/);
  });
});
