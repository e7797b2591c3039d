import { randomUUID } from 'node:crypto';
import { sql } from '@plinth/db-repository';
import type { RouteDefinition } from '@plinth/http-adapters';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDocumentRepository } from '../src/documents/repository.js';
import { type Caller, call, newTenant, startTestApp, type TestApp } from './support.js';

const DATABASE_URL = process.env.DATABASE_URL;

describe.skipIf(!DATABASE_URL)('clients on PostgreSQL (needs DATABASE_URL)', () => {
  let t: TestApp;
  let routes: readonly RouteDefinition[];
  const tenant = newTenant();
  const staff: Caller = { tenantId: tenant, roles: ['staff'] };
  const viewer: Caller = { tenantId: tenant, roles: ['viewer'] };
  const admin: Caller = { tenantId: tenant, roles: ['admin'] };
  const outsider: Caller = { tenantId: newTenant(), roles: ['admin'] };

  beforeAll(async () => {
    t = await startTestApp(DATABASE_URL as string);
    routes = t.app.httpOptions.routes ?? [];
  });
  afterAll(() => t?.close());

  const create = (by: Caller, body: Record<string, unknown>) =>
    call(routes, 'POST', '/v1/clients', by, { body });
  const get = (by: Caller, id: string) =>
    call(routes, 'GET', '/v1/clients/:id', by, { params: { id } });
  const list = (by: Caller, query: Record<string, string>) =>
    call(routes, 'GET', '/v1/clients', by, { query });
  const patch = (by: Caller, id: string, body: unknown, headers: Record<string, string> = {}) =>
    call(routes, 'PATCH', '/v1/clients/:id', by, { params: { id }, body, headers });
  const remove = (by: Caller, id: string, headers: Record<string, string> = {}) =>
    call(routes, 'DELETE', '/v1/clients/:id', by, { params: { id }, headers });
  const uniqueEmail = () => `c${Math.random().toString(36).slice(2)}@example.com`;

  it('creates a client: 201, ETag "1", Location and exactly the contract JSON', async () => {
    const email = uniqueEmail();
    const r = await create(staff, { name: 'Ada Lovelace', email, phone: '+44 20 7946 0958' });
    const body = r.body as Record<string, unknown>;
    expect(r.status).toBe(201);
    expect(r.headers).toMatchObject({ etag: '"1"', location: `/v1/clients/${body.id}` });
    expect(Object.keys(body).sort()).toEqual(
      ['createdAt', 'email', 'id', 'name', 'phone', 'updatedAt', 'version'].sort(),
    );
    expect(body).toMatchObject({
      name: 'Ada Lovelace',
      email,
      phone: '+44 20 7946 0958',
      version: 1,
    });
  });

  it('stores name, email and phone only as pl1 ciphertext', async () => {
    const email = uniqueEmail();
    const { body } = await create(staff, { name: 'Grace Hopper', email, phone: '+1 555 0100' });
    const row = await t.db.one(
      sql`SELECT name, email, phone, email_index FROM clients WHERE id = ${(body as { id: string }).id}`,
    );
    for (const column of ['name', 'email', 'phone'] as const)
      expect(String(row[column])).toMatch(/^pl1\./);
    expect(JSON.stringify(row)).not.toContain('Grace');
    expect(JSON.stringify(row)).not.toContain(email);
  });

  it('binds each ciphertext to its row: a value copied to another row does not decrypt', async () => {
    const a = (await create(staff, { name: 'Row A', email: uniqueEmail() })).body as { id: string };
    const b = (await create(staff, { name: 'Row B', email: uniqueEmail() })).body as { id: string };
    await t.db.query(
      sql`UPDATE clients SET name = (SELECT name FROM clients WHERE id = ${a.id}) WHERE id = ${b.id}`,
    );
    await expect(get(staff, b.id)).rejects.toMatchObject({ code: 'DECRYPT_FAILED', status: 500 });
    await t.db.query(sql`DELETE FROM clients WHERE id = ${b.id}`);
  });

  it('returns hostile text as inert data, exactly as stored', async () => {
    const name = `<script>alert(1)</script>'; DROP TABLE clients; -- ✓`;
    const { body } = await create(staff, { name, email: uniqueEmail() });
    const { id } = body as { id: string };
    expect(((await get(viewer, id)).body as { name: string }).name).toBe(name);
  });

  it('refuses control characters and lone surrogates in a name', async () => {
    await expect(create(staff, { name: 'a\u0000b', email: uniqueEmail() })).rejects.toMatchObject({
      status: 400,
    });
    await expect(create(staff, { name: 'a\uD800b', email: uniqueEmail() })).rejects.toMatchObject({
      status: 400,
    });
  });

  it('answers 409 for an email that exists in the tenant, however it is spelled', async () => {
    const email = uniqueEmail();
    await create(staff, { name: 'First', email });
    await expect(
      create(staff, { name: 'Second', email: `  ${email.toUpperCase()} ` }),
    ).rejects.toMatchObject({ status: 409, code: 'CLIENT_EMAIL_EXISTS' });
    const other = await create(outsider, { name: 'Elsewhere', email });
    expect(other.status).toBe(201);
  });

  it("hides another tenant's client: 404 by id, absent from lookups and lists", async () => {
    const email = uniqueEmail();
    const { id } = (await create(staff, { name: 'Private', email })).body as { id: string };
    await expect(get(outsider, id)).rejects.toMatchObject({
      status: 404,
      code: 'CLIENT_NOT_FOUND',
    });
    expect((await list(outsider, { email })).body).toEqual({ items: [], nextCursor: null });
    const page = (await list(outsider, { limit: '100' })).body as { items: { id: string }[] };
    expect(page.items.map((c) => c.id)).not.toContain(id);
    await expect(patch(outsider, id, { name: 'x' }, { 'if-match': '"1"' })).rejects.toMatchObject({
      status: 404,
    });
    await expect(remove(outsider, id)).rejects.toMatchObject({ status: 404 });
  });

  it('finds a client by email, normalised', async () => {
    const email = uniqueEmail();
    const { id } = (await create(staff, { name: 'Lookup', email })).body as { id: string };
    const page = (await list(viewer, { email: ` ${email.toUpperCase()}` })).body as {
      items: { id: string }[];
    };
    expect(page.items.map((c) => c.id)).toEqual([id]);
  });

  it('updates with If-Match: 428 without it, 412 when stale, else 200 with the next ETag', async () => {
    const { id } = (
      await create(staff, { name: 'Before', email: uniqueEmail(), phone: '+1 555 0101' })
    ).body as { id: string };
    await expect(patch(staff, id, { name: 'After' })).rejects.toMatchObject({
      status: 428,
      code: 'PRECONDITION_REQUIRED',
    });
    await expect(patch(staff, id, { name: 'After' }, { 'if-match': '"2"' })).rejects.toMatchObject({
      status: 412,
      details: { currentVersion: 1 },
    });
    const r = await patch(staff, id, { name: 'After', phone: null }, { 'if-match': '"1"' });
    expect(r.status).toBe(200);
    expect(r.headers.etag).toBe('"2"');
    expect(r.body).toMatchObject({ name: 'After', phone: null, version: 2 });
    const any = await patch(staff, id, { name: 'Again' }, { 'if-match': '*' });
    expect(any.headers.etag).toBe('"3"');
  });

  it('refuses an update to an email another client of the tenant has (409)', async () => {
    const taken = uniqueEmail();
    await create(staff, { name: 'Holder', email: taken });
    const { id } = (await create(staff, { name: 'Mover', email: uniqueEmail() })).body as {
      id: string;
    };
    await expect(patch(staff, id, { email: taken }, { 'if-match': '"1"' })).rejects.toMatchObject({
      status: 409,
      code: 'CLIENT_EMAIL_EXISTS',
    });
  });

  it('refuses an empty patch and unknown fields', async () => {
    const { id } = (await create(staff, { name: 'Empty', email: uniqueEmail() })).body as {
      id: string;
    };
    await expect(patch(staff, id, {}, { 'if-match': '"1"' })).rejects.toMatchObject({
      status: 400,
    });
    await expect(patch(staff, id, { version: 9 }, { 'if-match': '"1"' })).rejects.toMatchObject({
      status: 400,
    });
  });

  it('pages through a tenant with cursors, each client once', async () => {
    const own: Caller = { tenantId: newTenant(), roles: ['staff'] };
    const created: string[] = [];
    for (let i = 0; i < 5; i++)
      created.push(
        ((await create(own, { name: `P${i}`, email: uniqueEmail() })).body as { id: string }).id,
      );
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const query: Record<string, string> = { limit: '2', ...(cursor ? { cursor } : {}) };
      const page = (await list(own, query)).body as {
        items: { id: string }[];
        nextCursor: string | null;
      };
      seen.push(...page.items.map((c) => c.id));
      cursor = page.nextCursor;
      pages++;
    } while (cursor !== null && pages < 10);
    expect(pages).toBe(3);
    expect(seen.sort()).toEqual([...created].sort());
    await expect(list(own, { cursor: 'c1.forged' })).rejects.toMatchObject({
      code: 'INVALID_CURSOR',
    });
  });

  it('deletes (204), honouring an If-Match when one is sent', async () => {
    const { id } = (await create(staff, { name: 'Gone', email: uniqueEmail() })).body as {
      id: string;
    };
    await expect(remove(admin, id, { 'if-match': '"5"' })).rejects.toMatchObject({ status: 412 });
    expect((await remove(admin, id, { 'if-match': '"1"' })).status).toBe(204);
    await expect(get(admin, id)).rejects.toMatchObject({ status: 404 });
  });

  it('refuses to delete a client that still has documents (409)', async () => {
    const { id } = (await create(staff, { name: 'Keeper', email: uniqueEmail() })).body as {
      id: string;
    };
    const docId = '7d3c1a52-0f4e-4c1b-9a7e-2b6f1d9e8c01';
    await t.db.query(
      sql`INSERT INTO documents (id, tenant_id, client_id, name, content_type, size, sha256, object_key, retain_until)
          VALUES (${docId}, ${tenant}, ${id}, 'pl1.x', 'application/pdf', 0, ${'0'.repeat(64)},
                  ${`tenants/${tenant}/documents/${docId}`}, now())`,
    );
    await expect(remove(admin, id)).rejects.toMatchObject({
      status: 409,
      code: 'CLIENT_HAS_DOCUMENTS',
    });
    await t.db.query(sql`DELETE FROM documents WHERE id = ${docId}`);
    expect((await remove(admin, id)).status).toBe(204);
  });

  it('answers 404 CLIENT_NOT_FOUND to a document whose client was deleted while it uploaded', async () => {
    const { id } = (await create(staff, { name: 'Leaving', email: uniqueEmail() })).body as {
      id: string;
    };
    // The upload checked the client before streaming its bytes; the delete lands meanwhile.
    expect((await remove(admin, id)).status).toBe(204);
    const documents = createDocumentRepository(t.db, t.app.deps.fields);
    const docId = randomUUID();
    const insert = t.db.transaction(() =>
      documents.insert({
        id: docId,
        tenantId: tenant,
        clientId: id,
        name: 'late.pdf',
        contentType: 'application/pdf',
        size: 0,
        sha256: '0'.repeat(64),
        objectKey: `tenants/${tenant}/documents/${docId}`,
        objectVersionId: null,
        retainUntil: new Date(),
      }),
    );
    await expect(insert).rejects.toMatchObject({ status: 404, code: 'CLIENT_NOT_FOUND' });
  });

  it('records every change and every read of personal data, readable by the tenant admin only', async () => {
    const email = uniqueEmail();
    const { id } = (await create(staff, { name: 'Audited', email })).body as { id: string };
    await get(viewer, id);
    await list(viewer, { email });
    await patch(staff, id, { name: 'Audited 2' }, { 'if-match': '"1"' });
    await remove(admin, id);
    const trail = await call(routes, 'GET', '/v1/audit-events', admin, {
      query: { resourceId: id },
    });
    const actions = (trail.body as { items: { action: string; outcome: string }[] }).items.map(
      (e) => e.action,
    );
    // Reads are batched and changes transactional, so the chain order may differ from the call order.
    expect([...actions].sort()).toEqual([
      'client.created',
      'client.deleted',
      'client.looked_up',
      'client.read',
      'client.updated',
    ]);
    const elsewhere = await call(routes, 'GET', '/v1/audit-events', outsider, {
      query: { resourceId: id },
    });
    expect((elsewhere.body as { items: unknown[] }).items).toEqual([]);
  });

  it('refuses a tenant that is not a UUID before any query (403)', async () => {
    await expect(
      get({ tenantId: "t1' OR '1'='1", roles: ['admin'] }, '00000000-0000-4000-8000-000000000000'),
    ).rejects.toMatchObject({ status: 403, code: 'TENANT_INVALID' });
  });

  it('declares viewer reads, staff writes and admin deletes on each route', () => {
    const roles = (method: string, path: string) =>
      routes.find((r) => r.method === method && r.path === path)?.policy?.roles;
    expect(roles('GET', '/v1/clients')).toEqual(['viewer', 'staff', 'admin']);
    expect(roles('GET', '/v1/clients/:id')).toEqual(['viewer', 'staff', 'admin']);
    expect(roles('POST', '/v1/clients')).toEqual(['staff', 'admin']);
    expect(roles('PATCH', '/v1/clients/:id')).toEqual(['staff', 'admin']);
    expect(roles('DELETE', '/v1/clients/:id')).toEqual(['admin']);
    expect(roles('GET', '/v1/audit-events')).toEqual(['admin']);
  });

  it('reports PostgreSQL in readiness', async () => {
    const ready = await t.app.health.ready();
    expect(JSON.stringify(ready.body)).toContain('"postgres:responseTime":[{');
    expect(
      (ready.body as { checks: Record<string, { status: string }[]> }).checks[
        'postgres:responseTime'
      ]?.[0]?.status,
    ).toBe('pass');
  });
});
