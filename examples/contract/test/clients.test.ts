import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { apiFor, expectProblem, newClient, UUID } from './support/api.js';
import { FRAMEWORKS } from './support/harness.js';
import { clientToken, type TenantTokens, tenantTokens } from './support/tokens.js';

const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

describe.each(FRAMEWORKS)('clients on %s', (framework) => {
  const api = apiFor(framework);
  let t: TenantTokens;

  beforeAll(async () => {
    t = await tenantTokens();
  });

  const create = async (tag: string, token = t.staff) => {
    const reply = await api.call('POST', '/v1/clients', { token, json: newClient(tag) });
    expect(reply.status, reply.text).toBe(201);
    return reply.body;
  };

  describe('POST /v1/clients', () => {
    it('creates a client and answers 201 with the client JSON', async () => {
      const input = newClient('create');
      const reply = await api.call('POST', '/v1/clients', { token: t.staff, json: input });
      expect(reply.status, reply.text).toBe(201);
      expect(reply.headers.get('content-type')).toMatch(/^application\/json/);
      expect(reply.body).toEqual({
        id: expect.stringMatching(UUID),
        name: input.name,
        email: input.email,
        phone: input.phone,
        createdAt: expect.stringMatching(ISO),
        updatedAt: expect.stringMatching(ISO),
        version: expect.any(Number),
      });
    });

    it('creates a client without a phone', async () => {
      const { phone: _phone, ...input } = newClient('nophone');
      const reply = await api.call('POST', '/v1/clients', { token: t.staff, json: input });
      expect(reply.status, reply.text).toBe(201);
      expect(reply.body.phone ?? null).toBeNull();
    });

    it('answers 409 problem+json when the email already exists in the tenant', async () => {
      const first = await create('dup');
      const again = await api.call('POST', '/v1/clients', {
        token: t.staff,
        json: { name: 'Someone else', email: first.email },
      });
      expectProblem(again, 409);
      expect(again.text).not.toContain(first.email);
    });

    it('treats the same email in another tenant as a different client', async () => {
      const first = await create('other-tenant');
      const other = await tenantTokens();
      const reply = await api.call('POST', '/v1/clients', {
        token: other.staff,
        json: { name: 'Namesake', email: first.email },
      });
      expect(reply.status, reply.text).toBe(201);
    });

    it.each([
      ['no body fields', {}],
      ['a missing email', { name: 'Ada' }],
      ['a missing name', { email: 'ada@example.com' }],
      ['an email that is not one', { name: 'Ada', email: 'not-an-email' }],
      ['a name of the wrong type', { name: 42, email: 'ada@example.com' }],
      ['an empty name', { name: '', email: 'ada@example.com' }],
      ['a phone of the wrong type', { name: 'Ada', email: 'ada@example.com', phone: 7 }],
    ])('answers 400 with errors[] for %s', async (_name, json) => {
      const reply = await api.call('POST', '/v1/clients', { token: t.staff, json });
      const body = expectProblem(reply, 400);
      expect(Array.isArray(body.errors)).toBe(true);
      expect(body.errors.length).toBeGreaterThan(0);
      for (const error of body.errors)
        expect(error).toMatchObject({ path: expect.any(String), code: expect.any(String) });
    });

    it.each([
      ['a C1 control character (CSI)', 'Ada\u009b31mLovelace'],
      ['a C1 control character (NEL)', 'Ada\u0085Lovelace'],
      ['a right-to-left override', 'Ada \u202eecalevol'],
      ['a right-to-left isolate', 'Ada \u2067Lovelace\u2069'],
    ])('answers 400 with errors[] on name for %s', async (_name, name) => {
      const reply = await api.call('POST', '/v1/clients', {
        token: t.staff,
        json: newClient('bidi', { name }),
      });
      const body = expectProblem(reply, 400);
      expect(JSON.stringify(body.errors)).toContain('name');
    });

    it('names the invalid field in errors[]', async () => {
      const reply = await api.call('POST', '/v1/clients', {
        token: t.staff,
        json: { name: 'Ada', email: 'not-an-email' },
      });
      const body = expectProblem(reply, 400);
      expect(JSON.stringify(body.errors)).toContain('email');
    });

    it('refuses a viewer with 403 (viewers read, staff write)', async () => {
      const reply = await api.call('POST', '/v1/clients', {
        token: t.viewer,
        json: newClient('viewer'),
      });
      expectProblem(reply, 403);
    });

    it('refuses an end-client token with 403', async () => {
      const token = await clientToken(t.tenantId, randomUUID(), 2);
      const reply = await api.call('POST', '/v1/clients', { token, json: newClient('client') });
      expectProblem(reply, 403);
    });

    it('refuses a request without a token with 401 and a Bearer challenge', async () => {
      const reply = await api.call('POST', '/v1/clients', { json: newClient('anon') });
      expectProblem(reply, 401);
      expect(reply.headers.get('www-authenticate')).toMatch(/^Bearer/);
    });

    it('lets an admin create too', async () => {
      await create('by-admin', t.admin);
    });
  });

  describe('GET /v1/clients/:id', () => {
    it('reads a client back for a viewer, staff and admin', async () => {
      const created = await create('read');
      for (const token of [t.viewer, t.staff, t.admin]) {
        const reply = await api.call('GET', `/v1/clients/${created.id}`, { token });
        expect(reply.status, reply.text).toBe(200);
        expect(reply.body).toEqual(created);
      }
    });

    it('answers 404 problem+json for an unknown id', async () => {
      const reply = await api.call('GET', `/v1/clients/${randomUUID()}`, { token: t.viewer });
      expectProblem(reply, 404);
    });

    it('answers a malformed id with a 4xx problem, never 500', async () => {
      const reply = await api.call('GET', '/v1/clients/not-a-uuid', { token: t.viewer });
      expect([400, 404]).toContain(reply.status);
      expectProblem(reply, reply.status);
    });

    it.each([101, 2000])(
      'answers an id of %i characters with 400 and errors[], as any malformed id',
      async (length) => {
        const reply = await api.call('GET', `/v1/clients/${'a'.repeat(length)}`, {
          token: t.viewer,
        });
        expect(expectProblem(reply, 400).errors.length).toBeGreaterThan(0);
      },
    );

    it('refuses an end-client token with 403', async () => {
      const created = await create('client-read');
      const token = await clientToken(t.tenantId, created.id, 2);
      expectProblem(await api.call('GET', `/v1/clients/${created.id}`, { token }), 403);
    });
  });

  describe('PATCH /v1/clients/:id', () => {
    it('updates with a matching If-Match and answers 200 with a new ETag and version', async () => {
      const created = await create('patch');
      const reply = await api.call('PATCH', `/v1/clients/${created.id}`, {
        token: t.staff,
        json: { name: 'Ada King' },
        headers: { 'if-match': `"${created.version}"` },
      });
      expect(reply.status, reply.text).toBe(200);
      expect(reply.body).toMatchObject({
        id: created.id,
        name: 'Ada King',
        email: created.email,
        phone: created.phone,
        createdAt: created.createdAt,
      });
      expect(reply.body.version).not.toBe(created.version);
      expect(reply.headers.get('etag')).toBe(`"${reply.body.version}"`);
      const read = await api.call('GET', `/v1/clients/${created.id}`, { token: t.viewer });
      expect(read.body).toEqual(reply.body);
    });

    it('answers 412 to a stale If-Match and keeps the newer data', async () => {
      const created = await create('stale');
      const ok = await api.call('PATCH', `/v1/clients/${created.id}`, {
        token: t.staff,
        json: { name: 'First writer' },
        headers: { 'if-match': `"${created.version}"` },
      });
      expect(ok.status, ok.text).toBe(200);
      const stale = await api.call('PATCH', `/v1/clients/${created.id}`, {
        token: t.staff,
        json: { name: 'Second writer' },
        headers: { 'if-match': `"${created.version}"` },
      });
      expectProblem(stale, 412);
      const read = await api.call('GET', `/v1/clients/${created.id}`, { token: t.viewer });
      expect(read.body.name).toBe('First writer');
    });

    it('answers 428 when If-Match is missing', async () => {
      const created = await create('nomatch');
      const reply = await api.call('PATCH', `/v1/clients/${created.id}`, {
        token: t.staff,
        json: { name: 'No precondition' },
      });
      expectProblem(reply, 428);
    });

    it('answers 409 when the new email belongs to another client of the tenant', async () => {
      const a = await create('email-a');
      const b = await create('email-b');
      const reply = await api.call('PATCH', `/v1/clients/${b.id}`, {
        token: t.staff,
        json: { email: a.email },
        headers: { 'if-match': `"${b.version}"` },
      });
      expectProblem(reply, 409);
    });

    it('finds the client under its new email after an email change', async () => {
      const created = await create('email-change');
      const email = `changed.${randomUUID()}@example.com`;
      const reply = await api.call('PATCH', `/v1/clients/${created.id}`, {
        token: t.staff,
        json: { email },
        headers: { 'if-match': `"${created.version}"` },
      });
      expect(reply.status, reply.text).toBe(200);
      const byNew = await api.call('GET', `/v1/clients?email=${encodeURIComponent(email)}`, {
        token: t.viewer,
      });
      expect(byNew.body.items.map((c: { id: string }) => c.id)).toEqual([created.id]);
      const byOld = await api.call(
        'GET',
        `/v1/clients?email=${encodeURIComponent(created.email)}`,
        { token: t.viewer },
      );
      expect(byOld.body.items).toEqual([]);
    });

    it('answers 400 with errors[] to a new name with a bidirectional override', async () => {
      const created = await create('patch-bidi');
      const reply = await api.call('PATCH', `/v1/clients/${created.id}`, {
        token: t.staff,
        json: { name: 'Ada \u202eecalevol' },
        headers: { 'if-match': `"${created.version}"` },
      });
      expect(expectProblem(reply, 400).errors.length).toBeGreaterThan(0);
    });

    it('answers 400 with errors[] to an invalid patch', async () => {
      const created = await create('bad-patch');
      const reply = await api.call('PATCH', `/v1/clients/${created.id}`, {
        token: t.staff,
        json: { email: 'nope' },
        headers: { 'if-match': `"${created.version}"` },
      });
      expect(expectProblem(reply, 400).errors.length).toBeGreaterThan(0);
    });

    it('answers 404 for an unknown id', async () => {
      const reply = await api.call('PATCH', `/v1/clients/${randomUUID()}`, {
        token: t.staff,
        json: { name: 'Nobody' },
        headers: { 'if-match': '"1"' },
      });
      expectProblem(reply, 404);
    });

    it('refuses a viewer with 403', async () => {
      const created = await create('viewer-patch');
      const reply = await api.call('PATCH', `/v1/clients/${created.id}`, {
        token: t.viewer,
        json: { name: 'Viewer was here' },
        headers: { 'if-match': `"${created.version}"` },
      });
      expectProblem(reply, 403);
    });
  });

  describe('DELETE /v1/clients/:id', () => {
    it('deletes for an admin with 204 and an empty body; the client is gone', async () => {
      const created = await create('delete');
      const reply = await api.call('DELETE', `/v1/clients/${created.id}`, { token: t.admin });
      expect(reply.status, reply.text).toBe(204);
      expect(reply.text).toBe('');
      expectProblem(await api.call('GET', `/v1/clients/${created.id}`, { token: t.admin }), 404);
    });

    it.each(['staff', 'viewer'] as const)(
      'refuses %s with 403 and keeps the client',
      async (role) => {
        const created = await create(`no-delete-${role}`);
        expectProblem(
          await api.call('DELETE', `/v1/clients/${created.id}`, { token: t[role] }),
          403,
        );
        expect(
          (await api.call('GET', `/v1/clients/${created.id}`, { token: t.admin })).status,
        ).toBe(200);
      },
    );

    it('answers 404 for an unknown id', async () => {
      expectProblem(
        await api.call('DELETE', `/v1/clients/${randomUUID()}`, { token: t.admin }),
        404,
      );
    });
  });

  describe('GET /v1/clients (list, cursors, email lookup)', () => {
    let tenant: TenantTokens;
    const ids: string[] = [];

    beforeAll(async () => {
      tenant = await tenantTokens();
      for (let i = 0; i < 7; i++) {
        const reply = await api.call('POST', '/v1/clients', {
          token: tenant.staff,
          json: newClient(`page${i}`),
        });
        expect(reply.status, reply.text).toBe(201);
        ids.push(reply.body.id);
      }
    });

    it('pages through every client exactly once with limit and cursor', async () => {
      const seen: string[] = [];
      let cursor: string | null | undefined;
      for (let page = 0; page < 10; page++) {
        const query = cursor ? `?limit=3&cursor=${encodeURIComponent(cursor)}` : '?limit=3';
        const reply = await api.call('GET', `/v1/clients${query}`, { token: tenant.viewer });
        expect(reply.status, reply.text).toBe(200);
        expect(Object.keys(reply.body).sort()).toEqual(['items', 'nextCursor']);
        expect(reply.body.items.length).toBeLessThanOrEqual(3);
        seen.push(...reply.body.items.map((c: { id: string }) => c.id));
        cursor = reply.body.nextCursor;
        if (cursor === null || cursor === undefined) break;
        expect(typeof cursor).toBe('string');
      }
      expect(cursor ?? null).toBeNull();
      expect(seen.length).toBe(7);
      expect(new Set(seen)).toEqual(new Set(ids));
    });

    it('returns the full client JSON for each item', async () => {
      const reply = await api.call('GET', '/v1/clients?limit=1', { token: tenant.viewer });
      expect(reply.body.items[0]).toMatchObject({
        id: expect.stringMatching(UUID),
        name: expect.stringContaining('Ada Lovelace page'),
        email: expect.stringContaining('@example.com'),
        version: expect.any(Number),
      });
    });

    it('finds one client by exact email', async () => {
      const one = await api.call('GET', `/v1/clients/${ids[3]}`, { token: tenant.viewer });
      const reply = await api.call(
        'GET',
        `/v1/clients?email=${encodeURIComponent(one.body.email)}`,
        { token: tenant.viewer },
      );
      expect(reply.status, reply.text).toBe(200);
      expect(reply.body.items).toEqual([one.body]);
    });

    it('answers an email that no client has with an empty page', async () => {
      const reply = await api.call('GET', '/v1/clients?email=nobody%40example.com', {
        token: tenant.viewer,
      });
      expect(reply.status, reply.text).toBe(200);
      expect(reply.body.items).toEqual([]);
      expect(reply.body.nextCursor ?? null).toBeNull();
    });

    it.each([
      ['limit=0', 'limit=0'],
      ['a limit that is not a number', 'limit=abc'],
      ['a huge limit', 'limit=100000'],
      ['a forged cursor', 'cursor=eyJpZCI6IjEifQ'],
    ])('answers 400 to %s', async (_name, query) => {
      const reply = await api.call('GET', `/v1/clients?${query}`, { token: tenant.viewer });
      expectProblem(reply, 400);
    });

    it('refuses a cursor from another tenant with 400', async () => {
      const first = await api.call('GET', '/v1/clients?limit=2', { token: tenant.viewer });
      const cursor = first.body.nextCursor as string;
      expect(typeof cursor).toBe('string');
      const other = await tenantTokens();
      const reply = await api.call(
        'GET',
        `/v1/clients?limit=2&cursor=${encodeURIComponent(cursor)}`,
        {
          token: other.viewer,
        },
      );
      // A cursor is bound to its tenant: another tenant gets an error or an empty page, never rows.
      if (reply.status === 200) expect(reply.body.items).toEqual([]);
      else expectProblem(reply, 400);
    });

    it('refuses a request without a token with 401', async () => {
      expectProblem(await api.call('GET', '/v1/clients'), 401);
    });
  });
});
