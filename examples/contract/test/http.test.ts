import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import {
  apiFor,
  expectProblem,
  newClient,
  type Reply,
  rawRequest,
  statusOf,
} from './support/api.js';
import { FRAMEWORKS, query, type ServiceProcess, startService } from './support/harness.js';
import { type TenantTokens, tenantTokens } from './support/tokens.js';

const ORIGIN = 'https://app.example.com';

const SQL_PAYLOADS = [
  "Robert'); DROP TABLE clients;--",
  "' OR '1'='1",
  '1; SELECT pg_sleep(5)--',
  "x' UNION SELECT email FROM clients --",
  '\\x27; DELETE FROM audit_events; --',
];
const XSS_PAYLOADS = [
  '<script>alert(1)</script>',
  '"><img src=x onerror=alert(1)>',
  "javascript:alert('x')",
  '<svg/onload=alert(1)>',
  '{{constructor.constructor("alert(1)")()}}',
];

const expectSecurityHeaders = (reply: Reply | Response) => {
  const h = reply.headers;
  expect(h.get('x-content-type-options')).toBe('nosniff');
  expect(h.get('x-frame-options')).toBe('DENY');
  expect(h.get('referrer-policy')).toBe('no-referrer');
  expect(h.get('content-security-policy')).toMatch(/default-src 'none'/);
  expect(h.get('content-security-policy')).toMatch(/frame-ancestors 'none'/);
  expect(h.get('strict-transport-security')).toMatch(/max-age=\d+/);
  expect(h.get('x-powered-by')).toBeNull();
};

describe.each(FRAMEWORKS)('HTTP behaviour on %s', (framework) => {
  const api = apiFor(framework);
  let t: TenantTokens;

  beforeAll(async () => {
    t = await tenantTokens();
  });

  describe('injection and XSS payloads are inert data', () => {
    it.each([...SQL_PAYLOADS, ...XSS_PAYLOADS])(
      'stores and returns %j verbatim',
      async (payload) => {
        const input = newClient('inert', { name: payload });
        const created = await api.call('POST', '/v1/clients', { token: t.staff, json: input });
        expect(created.status, created.text).toBe(201);
        expect(created.headers.get('content-type')).toMatch(/^application\/json/);
        expect(created.body.name).toBe(payload);
        const read = await api.call('GET', `/v1/clients/${created.body.id}`, { token: t.viewer });
        expect(read.body.name).toBe(payload);
        expectSecurityHeaders(read);
      },
    );

    it('looks up an email made of SQL as a plain value and finds nothing', async () => {
      for (const payload of ["' OR '1'='1", "x@example.com' OR 1=1 --"]) {
        const reply = await api.call('GET', `/v1/clients?email=${encodeURIComponent(payload)}`, {
          token: t.viewer,
        });
        if (reply.status === 400) expectProblem(reply, 400);
        else {
          expect(reply.status, reply.text).toBe(200);
          expect(reply.body.items).toEqual([]);
        }
      }
    });

    it('keeps the tables intact and stores names encrypted, not in clear', async () => {
      const db = inject('contract').services[framework].databaseUrl;
      const marker = `Marker ${Math.random().toString(36).slice(2)}`;
      const created = await api.call('POST', '/v1/clients', {
        token: t.staff,
        json: newClient('cipher', { name: marker }),
      });
      expect(created.status).toBe(201);
      const rows = await query<{ row: string }>(
        db,
        'SELECT row_to_json(c)::text AS row FROM clients c WHERE id::text = $1',
        [created.body.id],
      );
      expect(rows).toHaveLength(1);
      expect(rows[0]?.row).not.toContain(marker);
      expect(rows[0]?.row).not.toContain(created.body.email);
    });
  });

  describe('correlation ids', () => {
    it('echoes a valid incoming x-correlation-id on success and in a problem', async () => {
      const id = `corr-${Math.random().toString(36).slice(2)}`;
      const ok = await api.call('GET', '/v1/clients', {
        token: t.viewer,
        headers: { 'x-correlation-id': id },
      });
      expect(ok.headers.get('x-correlation-id')).toBe(id);
      const bad = await api.call('GET', '/v1/nothing-here', {
        headers: { 'x-correlation-id': id },
      });
      expect(bad.headers.get('x-correlation-id')).toBe(id);
      expect(expectProblem(bad, 404).correlationId).toBe(id);
    });

    it('generates one when none comes in, and replaces an invalid one', async () => {
      const none = await api.call('GET', '/health/live');
      expect(none.headers.get('x-correlation-id')).toMatch(/^[\w.:-]{8,}$/);
      const invalid = await api.call('GET', '/v1/clients', {
        token: t.viewer,
        headers: { 'x-correlation-id': `${'x'.repeat(300)}` },
      });
      const given = invalid.headers.get('x-correlation-id');
      expect(given).toBeTruthy();
      expect(given).not.toBe('x'.repeat(300));
    });
  });

  describe('headers', () => {
    it('sends the security headers on success, on errors and on health', async () => {
      expectSecurityHeaders(await api.call('GET', '/v1/clients', { token: t.viewer }));
      expectSecurityHeaders(await api.call('GET', '/v1/clients'));
      expectSecurityHeaders(await api.call('GET', '/nowhere'));
      expectSecurityHeaders(await api.call('GET', '/health/live'));
    });

    it('sends the IETF RateLimit and RateLimit-Policy headers on API responses', async () => {
      for (const reply of [
        await api.call('GET', '/v1/clients', { token: t.viewer }),
        await api.call('POST', '/v1/clients', { token: t.staff, json: newClient('rl') }),
      ]) {
        expect(reply.headers.get('ratelimit-policy'), reply.text).toMatch(/q=\d+/);
        expect(reply.headers.get('ratelimit')).toMatch(/r=\d+/);
      }
    });

    it('advertises the keep-alive timeout both services share (HTTP_KEEP_ALIVE_TIMEOUT, 72 s)', async () => {
      for (const reply of [
        await api.call('GET', '/health/live'),
        await api.call('GET', '/v1/clients', { token: t.viewer }),
        await api.call('GET', '/nowhere'),
      ])
        expect(reply.headers.get('keep-alive')).toBe('timeout=72');
    });

    it('allows a listed origin by CORS and not another', async () => {
      const pre = await fetch(`${api.url}/v1/clients`, {
        method: 'OPTIONS',
        headers: {
          origin: ORIGIN,
          'access-control-request-method': 'POST',
          'access-control-request-headers': 'authorization,content-type',
        },
      });
      expect(pre.status).toBeLessThan(300);
      expect(pre.headers.get('access-control-allow-origin')).toBe(ORIGIN);
      const other = await api.call('GET', '/v1/clients', {
        token: t.viewer,
        headers: { origin: 'https://evil.example.com' },
      });
      expect(other.headers.get('access-control-allow-origin')).toBeNull();
    });
  });

  describe('every error is problem+json', () => {
    it('answers an unknown route with 404', async () => {
      expectProblem(await api.call('GET', '/v1/unknown'), 404);
    });

    it('answers a wrong method with 405 and Allow', async () => {
      const reply = await api.call('PUT', '/v1/clients', { token: t.staff, json: {} });
      expectProblem(reply, 405);
      expect(reply.headers.get('allow')).toMatch(/GET/);
      expect(reply.headers.get('allow')).toMatch(/POST/);
    });

    it('answers an unsupported media type with 415', async () => {
      const reply = await api.call('POST', '/v1/clients', {
        token: t.staff,
        body: 'name=Ada&email=ada@example.com',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
      });
      expectProblem(reply, 415);
    });
  });

  describe('hostile input', () => {
    const postRaw = (body: string | Uint8Array) =>
      api.call('POST', '/v1/clients', {
        token: t.staff,
        body,
        headers: { 'content-type': 'application/json' },
      });
    const alive = async () =>
      expect((await api.call('GET', '/v1/clients', { token: t.viewer })).status).toBe(200);

    it('refuses a 10 MB JSON body with 413', async () => {
      expectProblem(await postRaw(new Uint8Array(10 * 1024 * 1024).fill(32)), 413);
      await alive();
    });

    it('refuses text that is not JSON under a JSON content type with 400', async () => {
      expectProblem(await postRaw('<xml>not json</xml>'), 400);
    });

    it('refuses JSON nested 10,000 deep with 400', async () => {
      expectProblem(await postRaw(`${'['.repeat(10_000)}${']'.repeat(10_000)}`), 400);
      await alive();
    });

    it.each([
      ['__proto__', '{"__proto__":{"polluted":"yes"},"name":"Ada","email":"ada@example.com"}'],
      [
        'escaped __proto__',
        '{"\\u005f_proto__":{"polluted":"yes"},"name":"A","email":"a@example.com"}',
      ],
      [
        'constructor.prototype',
        '{"constructor":{"prototype":{"polluted":"yes"}},"name":"A","email":"a@example.com"}',
      ],
    ])('refuses a %s key with 400', async (_name, body) => {
      expectProblem(await postRaw(body), 400);
      await alive();
    });

    it.each([
      '/v1/clients/%00',
      '/v1/clients/..%2F..%2Fetc%2Fpasswd',
      '/../../etc/passwd',
      '/v1/clients/%E0%A4%A',
      '/v1/clients/%',
    ])('answers the path %s with a 4xx problem', async (path) => {
      const raw = await rawRequest(
        api.port,
        `GET ${path} HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${t.viewer}\r\nConnection: close\r\n\r\n`,
      );
      expect(statusOf(raw)).toBeGreaterThanOrEqual(400);
      expect(statusOf(raw)).toBeLessThan(500);
      expect(raw).toMatch(/content-type: application\/problem\+json/i);
    });

    // Refused by Node's HTTP parser, before any middleware or hook runs.
    it.each([
      ['a CR in a header value', 400, 'X-Evil: a\rb'],
      ['a NUL in a header value', 400, 'X-Evil: a\u0000b'],
      ['two Content-Length headers', 400, 'Content-Length: 1\r\nContent-Length: 2'],
      ['a header block over 16 KiB', 431, `X-Big: ${'a'.repeat(20_000)}`],
    ])(
      'answers a request with %s with %i problem+json and stays up',
      async (_name, status, header) => {
        const raw = await rawRequest(
          api.port,
          `POST /v1/clients HTTP/1.1\r\nHost: x\r\n${header}\r\n\r\n`,
        );
        expect(statusOf(raw), raw.slice(0, 300)).toBe(status);
        expect(raw).toMatch(/\r\ncontent-type: application\/problem\+json/i);
        expect(JSON.parse(raw.slice(raw.indexOf('\r\n\r\n') + 4))).toMatchObject({ status });
        await alive();
      },
    );
  });
});

describe.each(FRAMEWORKS)(
  'rate limit on %s (an instance with a quota of 5 per minute)',
  (framework) => {
    let limited: ServiceProcess;

    beforeAll(async () => {
      const env = inject('contract').services[framework].env;
      limited = await startService(
        framework,
        {
          ...env,
          RATE_LIMIT_POINTS: '5',
          RATE_LIMIT_KEY_PREFIX: `${env.RATE_LIMIT_KEY_PREFIX ?? 'contract'}limited-${Date.now()}`,
        },
        { name: `${framework}-limited` },
      );
    });
    afterAll(() => limited?.stop());

    it('counts down RateLimit, then answers 429 problem+json with Retry-After; health stays exempt', async () => {
      const api = apiFor(framework, limited.url);
      const t = await tenantTokens();
      const remaining: number[] = [];
      for (let i = 0; i < 5; i++) {
        const reply = await api.call('GET', '/v1/clients', { token: t.viewer });
        expect(reply.status, reply.text).toBe(200);
        expect(reply.headers.get('ratelimit-policy')).toMatch(/;q=5;w=60/);
        remaining.push(Number(/;r=(\d+)/.exec(reply.headers.get('ratelimit') ?? '')?.[1]));
      }
      expect(remaining).toEqual([4, 3, 2, 1, 0]);
      const over = await api.call('GET', '/v1/clients', { token: t.viewer });
      expectProblem(over, 429);
      const retryAfter = Number(over.headers.get('retry-after'));
      expect(retryAfter).toBeGreaterThan(0);
      expect(retryAfter).toBeLessThanOrEqual(60);
      // Another principal has its own quota; health is never limited.
      expect((await api.call('GET', '/v1/clients', { token: t.staff })).status).toBe(200);
      for (let i = 0; i < 8; i++) expect((await api.call('GET', '/health/live')).status).toBe(200);
    });
  },
);
