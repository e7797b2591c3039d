import { randomBytes, randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { type Api, apiFor, type Json, type Reply } from './support/api.js';
import { FRAMEWORKS, type Framework } from './support/harness.js';
import { clientToken, tenantTokens } from './support/tokens.js';

/** Replace what differs between runs (ids, times, versions, tokens, hashes) by its kind. */
function shape(value: Json): Json {
  if (Array.isArray(value)) return value.map(shape);
  if (value && typeof value === 'object')
    return Object.fromEntries(
      Object.entries(value)
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([k, v]) => [k, /token$/i.test(k) && typeof v === 'string' ? '<token>' : shape(v)]),
    );
  if (typeof value !== 'string') return typeof value === 'number' ? '<number>' : value;
  if (/^[0-9a-f]{8}-[0-9a-f]{4}-/i.test(value)) return '<uuid>';
  if (/^\d{4}-\d{2}-\d{2}T/.test(value)) return '<time>';
  if (/^ey[\w-]+\.[\w-]+\.[\w-]+$/.test(value)) return '<jwt>';
  if (/^[0-9a-f]{64}$/.test(value) || /^[A-Za-z0-9+/]{43}=$/.test(value)) return '<sha256>';
  return value.replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi, '<uuid>');
}

/** Headers of the connection, not of the response: they may differ between servers. */
const TRANSPORT = new Set([
  'date',
  'connection',
  'keep-alive',
  'transfer-encoding',
  'content-length',
]);

/** The parts of a reply both frameworks must agree on. */
function summary(reply: Reply) {
  const body = reply.body as Json;
  const problem = /problem\+json/.test(reply.headers.get('content-type') ?? '');
  const {
    correlationId: _c,
    errorId: _e,
    instance: _i,
    nextCursor,
    ...rest
  } = (body ?? {}) as Json;
  const headerNames = [...reply.headers.keys()].filter((h) => !TRANSPORT.has(h)).sort();
  return {
    status: reply.status,
    headerNames,
    type: (reply.headers.get('content-type') ?? '').split(';')[0],
    etag: reply.headers.get('etag') === null ? null : '<etag>',
    allow: reply.headers.get('allow'),
    retryAfter: reply.headers.get('retry-after') === null ? null : '<seconds>',
    wwwAuthenticate: reply.headers.get('www-authenticate'),
    body: body === undefined ? reply.text.length : shape(problem ? rest : body),
    ...(nextCursor === undefined ? {} : { nextCursor: nextCursor === null ? null : '<cursor>' }),
  };
}

/** One scripted session touching every route and the main errors; returns each step's summary. */
async function session(api: Api): Promise<[string, ReturnType<typeof summary>][]> {
  const t = await tenantTokens();
  const steps: [string, ReturnType<typeof summary>][] = [];
  const step = async (name: string, reply: Promise<Reply>) => {
    const r = await reply;
    steps.push([name, summary(r)]);
    return r;
  };
  const email = `parity.${randomUUID()}@example.com`;
  const created = await step(
    'create',
    api.call('POST', '/v1/clients', {
      token: t.staff,
      json: { name: 'Parity', email, phone: '+1 555 0199' },
    }),
  );
  const id = created.body?.id ?? randomUUID();
  await step(
    'duplicate',
    api.call('POST', '/v1/clients', { token: t.staff, json: { name: 'P2', email } }),
  );
  await step('invalid', api.call('POST', '/v1/clients', { token: t.staff, json: { name: 1 } }));
  await step('viewer create', api.call('POST', '/v1/clients', { token: t.viewer, json: {} }));
  await step('anonymous', api.call('GET', '/v1/clients'));
  await step('read', api.call('GET', `/v1/clients/${id}`, { token: t.viewer }));
  await step('read unknown', api.call('GET', `/v1/clients/${randomUUID()}`, { token: t.viewer }));
  await step('list', api.call('GET', '/v1/clients?limit=1', { token: t.viewer }));
  await step(
    'lookup',
    api.call('GET', `/v1/clients?email=${encodeURIComponent(email)}`, { token: t.viewer }),
  );
  await step(
    'patch no if-match',
    api.call('PATCH', `/v1/clients/${id}`, { token: t.staff, json: { name: 'X' } }),
  );
  await step(
    'patch',
    api.call('PATCH', `/v1/clients/${id}`, {
      token: t.staff,
      json: { name: 'Parity 2' },
      headers: { 'if-match': `"${created.body?.version}"` },
    }),
  );
  await step(
    'patch stale',
    api.call('PATCH', `/v1/clients/${id}`, {
      token: t.staff,
      json: { name: 'Parity 3' },
      headers: { 'if-match': `"${created.body?.version}"` },
    }),
  );
  const doc = await step(
    'upload',
    api.call('POST', `/v1/clients/${id}/documents?name=a.pdf`, {
      token: t.staff,
      body: randomBytes(100),
      headers: { 'content-type': 'application/pdf' },
    }),
  );
  await step(
    'upload type',
    api.call('POST', `/v1/clients/${id}/documents?name=a.html`, {
      token: t.staff,
      body: 'x',
      headers: { 'content-type': 'text/html' },
    }),
  );
  await step('documents', api.call('GET', `/v1/clients/${id}/documents`, { token: t.viewer }));
  await step(
    'document delete',
    api.call('DELETE', `/v1/documents/${doc.body?.id}`, { token: t.admin }),
  );
  await step('me 0', api.call('GET', '/v1/me', { token: await clientToken(t.tenantId, id, 0) }));
  await step('me 1', api.call('GET', '/v1/me', { token: await clientToken(t.tenantId, id, 1) }));
  await step('delete staff', api.call('DELETE', `/v1/clients/${id}`, { token: t.staff }));
  await step(
    'audit viewer',
    api.call('GET', `/v1/audit-events?resourceId=${id}`, { token: t.viewer }),
  );
  await step(
    'user',
    api.call('POST', '/v1/users', {
      token: t.admin,
      json: { email: `u.${email}`, password: 'correct horse battery staple', roles: ['staff'] },
    }),
  );
  await step(
    'login',
    api.call('POST', '/v1/auth/login', {
      json: { tenantId: t.tenantId, email: `u.${email}`, password: 'correct horse battery staple' },
    }),
  );
  await step(
    'login wrong',
    api.call('POST', '/v1/auth/login', {
      json: { tenantId: t.tenantId, email: `u.${email}`, password: 'wrong password here' },
    }),
  );
  await step('delete', api.call('DELETE', `/v1/clients/${id}`, { token: t.admin }));
  await step('read deleted', api.call('GET', `/v1/clients/${id}`, { token: t.admin }));
  await step('405', api.call('PUT', '/v1/clients', { token: t.staff, json: {} }));
  await step('404', api.call('GET', '/v1/nope'));
  await step(
    'malformed',
    api.call('POST', '/v1/clients', {
      token: t.staff,
      body: '{"name":',
      headers: { 'content-type': 'application/json' },
    }),
  );
  await step('live', api.call('GET', '/health/live'));
  return steps;
}

describe('Express and Fastify give the same answers', () => {
  it('to the same scripted session (statuses, headers that matter, body shapes)', async () => {
    const results = {} as Record<Framework, [string, ReturnType<typeof summary>][]>;
    for (const framework of FRAMEWORKS) results[framework] = await session(apiFor(framework));
    expect(results.express.length).toBeGreaterThan(25);
    expect(results.fastify.map(([name]) => name)).toEqual(results.express.map(([name]) => name));
    // Step by step, so a difference names its step.
    results.express.forEach(([name, express], i) => {
      expect.soft(results.fastify[i]?.[1], `step "${name}"`).toEqual(express);
    });
  });

  it('serve the same OpenAPI document', async () => {
    const [express, fastify] = await Promise.all(
      FRAMEWORKS.map(async (f) => (await apiFor(f).call('GET', '/openapi.json')).body),
    );
    expect(express).toEqual(fastify);
  });
});
