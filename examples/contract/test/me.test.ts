import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { apiFor, expectProblem, newClient } from './support/api.js';
import { FRAMEWORKS } from './support/harness.js';
import { clientToken, type TenantTokens, tenantTokens } from './support/tokens.js';

describe.each(FRAMEWORKS)('GET /v1/me (tiered client claims) on %s', (framework) => {
  const api = apiFor(framework);
  let t: TenantTokens;
  let client: any;

  beforeAll(async () => {
    t = await tenantTokens();
    const created = await api.call('POST', '/v1/clients', {
      token: t.staff,
      json: newClient('me'),
    });
    expect(created.status, created.text).toBe(201);
    client = created.body;
  });

  it.each([1, 2])('returns the client’s own record at verification level %i', async (level) => {
    const token = await clientToken(t.tenantId, client.id, level);
    const reply = await api.call('GET', '/v1/me', { token });
    expect(reply.status, reply.text).toBe(200);
    expect(reply.body).toMatchObject({ id: client.id, name: client.name, email: client.email });
  });

  it('refuses verification level 0 with 403', async () => {
    const token = await clientToken(t.tenantId, client.id, 0);
    expectProblem(await api.call('GET', '/v1/me', { token }), 403);
  });

  it('refuses a client token without a verification_level with 403', async () => {
    const token = await clientToken(t.tenantId, client.id, 0, { verification_level: undefined });
    expectProblem(await api.call('GET', '/v1/me', { token }), 403);
  });

  it.each(['admin', 'staff', 'viewer'] as const)('refuses a %s token with 403', async (role) => {
    expectProblem(await api.call('GET', '/v1/me', { token: t[role] }), 403);
  });

  it('answers 404 to a verified client whose record does not exist', async () => {
    const token = await clientToken(t.tenantId, randomUUID(), 2);
    expectProblem(await api.call('GET', '/v1/me', { token }), 404);
  });

  it.each(['/v1/me', '/v1/me/documents'])(
    'refuses a verified client token whose sub is not a UUID with 403 PRINCIPAL_INVALID on %s',
    async (path) => {
      const token = await clientToken(t.tenantId, 'not-a-uuid', 2);
      expectProblem(await api.call('GET', path, { token }), 403, 'PRINCIPAL_INVALID');
    },
  );

  it('answers 401 without a token', async () => {
    expectProblem(await api.call('GET', '/v1/me'), 401);
  });

  it('does not let a client token reach another client’s record', async () => {
    const other = await api.call('POST', '/v1/clients', {
      token: t.staff,
      json: newClient('other'),
    });
    const token = await clientToken(t.tenantId, client.id, 2);
    expectProblem(await api.call('GET', `/v1/clients/${other.body.id}`, { token }), 403);
  });
});
