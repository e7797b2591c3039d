import { randomBytes } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { apiFor, expectProblem, newClient } from './support/api.js';
import { auditTrail, waitForEvent } from './support/audit.js';
import { FRAMEWORKS } from './support/harness.js';
import { clientToken, staffToken, type TenantTokens, tenantTokens } from './support/tokens.js';

describe.each(FRAMEWORKS)('tenant isolation on %s', (framework) => {
  const api = apiFor(framework);
  let a: TenantTokens;
  let b: TenantTokens;
  let client: any;
  let document: any;

  beforeAll(async () => {
    [a, b] = await Promise.all([tenantTokens(), tenantTokens()]);
    const created = await api.call('POST', '/v1/clients', {
      token: a.staff,
      json: newClient('tenant-a'),
    });
    expect(created.status, created.text).toBe(201);
    client = created.body;
    const uploaded = await api.call(
      'POST',
      `/v1/clients/${client.id}/documents?name=passport.pdf`,
      {
        token: a.staff,
        body: randomBytes(2048),
        headers: { 'content-type': 'application/pdf' },
      },
    );
    expect(uploaded.status, uploaded.text).toBe(201);
    document = uploaded.body;
    // Tenant B has clients of its own, so its list is not empty by accident.
    const own = await api.call('POST', '/v1/clients', {
      token: b.staff,
      json: newClient('tenant-b'),
    });
    expect(own.status, own.text).toBe(201);
  });

  it('answers 404 to tenant B reading tenant A’s client by id, for every role', async () => {
    for (const token of [b.viewer, b.staff, b.admin]) {
      const reply = await api.call('GET', `/v1/clients/${client.id}`, { token });
      expectProblem(reply, 404);
      expect(reply.text).not.toContain(client.email);
    }
  });

  it('finds nothing when tenant B looks tenant A’s client up by email', async () => {
    const reply = await api.call('GET', `/v1/clients?email=${encodeURIComponent(client.email)}`, {
      token: b.viewer,
    });
    expect(reply.status, reply.text).toBe(200);
    expect(reply.body.items).toEqual([]);
  });

  it('never lists tenant A’s client in tenant B’s list', async () => {
    const seen: string[] = [];
    let cursor: string | null | undefined;
    for (let page = 0; page < 50; page++) {
      const query = cursor ? `?limit=100&cursor=${encodeURIComponent(cursor)}` : '?limit=100';
      const reply = await api.call('GET', `/v1/clients${query}`, { token: b.viewer });
      expect(reply.status, reply.text).toBe(200);
      seen.push(...reply.body.items.map((c: { id: string }) => c.id));
      cursor = reply.body.nextCursor;
      if (!cursor) break;
    }
    expect(seen.length).toBeGreaterThan(0);
    expect(seen).not.toContain(client.id);
    const own = await api.call('GET', '/v1/clients?limit=100', { token: a.viewer });
    expect(own.body.items.map((c: { id: string }) => c.id)).toContain(client.id);
  });

  it('answers 404 to tenant B updating or deleting tenant A’s client, and changes nothing', async () => {
    expectProblem(
      await api.call('PATCH', `/v1/clients/${client.id}`, {
        token: b.staff,
        json: { name: 'Hijacked' },
        headers: { 'if-match': `"${client.version}"` },
      }),
      404,
    );
    expectProblem(await api.call('DELETE', `/v1/clients/${client.id}`, { token: b.admin }), 404);
    const read = await api.call('GET', `/v1/clients/${client.id}`, { token: a.viewer });
    expect(read.body).toEqual(client);
  });

  it('shows tenant B none of tenant A’s audit events', async () => {
    await waitForEvent(api, a.admin, client.id, (e) => e.outcome === 'success');
    expect(await auditTrail(api, b.admin, client.id)).toEqual([]);
  });

  it('hides tenant A’s documents from tenant B (list, content, upload, delete)', async () => {
    expectProblem(
      await api.call('GET', `/v1/clients/${client.id}/documents`, { token: b.viewer }),
      404,
    );
    expectProblem(
      await api.call('GET', `/v1/documents/${document.id}/content`, { token: b.admin }),
      404,
    );
    expectProblem(
      await api.call('DELETE', `/v1/documents/${document.id}`, { token: b.admin }),
      404,
    );
    expectProblem(
      await api.call('POST', `/v1/clients/${client.id}/documents?name=x.pdf`, {
        token: b.staff,
        body: randomBytes(16),
        headers: { 'content-type': 'application/pdf' },
      }),
      404,
    );
    const own = await api.call('GET', `/v1/clients/${client.id}/documents`, { token: a.viewer });
    expect(own.status, own.text).toBe(200);
  });

  it('refuses a token whose tenant_id is the tenant’s id in upper case with 403 TENANT_INVALID', async () => {
    // Queries would find tenant A's rows, but the audit trail and the rate limit would file
    // the requests under another tenant: only the canonical (lower-case) spelling is accepted.
    const token = await staffToken(a.tenantId.toUpperCase(), 'admin');
    expectProblem(
      await api.call('GET', `/v1/clients/${client.id}`, { token }),
      403,
      'TENANT_INVALID',
    );
    expectProblem(
      await api.call('POST', '/v1/clients', { token, json: newClient('upper-tenant') }),
      403,
      'TENANT_INVALID',
    );
    expectProblem(await api.call('GET', '/v1/audit-events', { token }), 403, 'TENANT_INVALID');
  });

  it('refuses a staff token whose sub is not a UUID with 403 PRINCIPAL_INVALID', async () => {
    const token = await staffToken(a.tenantId, 'admin', { sub: 'not-a-uuid' });
    expectProblem(await api.call('GET', '/v1/clients', { token }), 403, 'PRINCIPAL_INVALID');
    expectProblem(
      await api.call('POST', '/v1/clients', { token, json: newClient('bad-sub') }),
      403,
      'PRINCIPAL_INVALID',
    );
  });

  it('answers a client token of tenant B carrying tenant A’s client id with 404 on /v1/me', async () => {
    const token = await clientToken(b.tenantId, client.id, 2);
    expectProblem(await api.call('GET', '/v1/me', { token }), 404);
    expectProblem(await api.call('GET', '/v1/me/documents', { token }), 404);
  });
});
