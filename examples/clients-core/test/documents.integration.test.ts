import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import { text } from 'node:stream/consumers';
import { sql } from '@plinth/db-repository';
import { AppError, ServiceUnavailableError } from '@plinth/errors';
import type { RawBody, RouteDefinition } from '@plinth/http-adapters';
import { createLogger } from '@plinth/logging';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { meRoutes } from '../src/auth/me-routes.js';
import { createClientRepository } from '../src/clients/repository.js';
import { createDocumentEncryption, type DocumentEncryption } from '../src/documents/encryption.js';
import { createDocumentRepository } from '../src/documents/repository.js';
import { documentRoutes } from '../src/documents/routes.js';
import { createDocumentService } from '../src/documents/service.js';
import type { DocumentStore } from '../src/documents/storage.js';
import { type Caller, call, newTenant, startTestApp, type TestApp } from './support.js';

const DATABASE_URL = process.env.DATABASE_URL;

/** The bucket in memory; `failPut`/`failRemove` make the next call fail like S3 being away. */
function memoryStore() {
  const objects = new Map<string, Buffer>();
  let version = 0;
  const state = { failPut: false, failRemove: false, removed: [] as string[] };
  const unavailable = () =>
    new ServiceUnavailableError('Document storage is unavailable; try again later', {
      code: 'DOCUMENT_STORAGE_UNAVAILABLE',
    });
  const store: DocumentStore = {
    async put(key, body) {
      const chunks: Buffer[] = [];
      try {
        for await (const chunk of body) chunks.push(chunk as Buffer);
      } catch (err) {
        // What the SDK does with a failing body: abort, and report its own error.
        throw Object.assign(new Error('upload aborted'), { cause: err });
      }
      if (state.failPut) throw unavailable();
      objects.set(key, Buffer.concat(chunks));
      return { versionId: `v${++version}` };
    },
    async get(key) {
      const found = objects.get(key);
      if (!found) throw unavailable();
      return Readable.from([found]);
    },
    async remove(key) {
      if (state.failRemove) throw unavailable();
      state.removed.push(key);
      objects.delete(key);
    },
    check: { critical: false, check: async () => undefined },
    close: () => undefined,
  };
  return { store, objects, state };
}

const body = (bytes: Buffer | Readable, mediaType = 'application/pdf'): RawBody => ({
  stream: Buffer.isBuffer(bytes) ? Readable.from([bytes]) : bytes,
  mediaType,
  length: Buffer.isBuffer(bytes) ? bytes.length : undefined,
});

describe.skipIf(!DATABASE_URL)(
  'documents on PostgreSQL, bytes in a memory bucket (needs DATABASE_URL)',
  () => {
    let t: TestApp;
    let encryption: DocumentEncryption;
    let routes: readonly RouteDefinition[];
    /** The same documents, deletable at once (DOCUMENT_RETENTION_DAYS=0). */
    let unretained: readonly RouteDefinition[];
    let appRoutes: readonly RouteDefinition[];
    const bucket = memoryStore();
    const errors: Record<string, unknown>[] = [];
    const tenant = newTenant();
    const staff: Caller = { tenantId: tenant, roles: ['staff'] };
    const admin: Caller = { tenantId: tenant, roles: ['admin'] };
    const outsider: Caller = { tenantId: newTenant(), roles: ['admin'] };

    beforeAll(async () => {
      t = await startTestApp(DATABASE_URL as string);
      const logger = createLogger({
        level: 'error',
        destination: { write: (line: string) => void errors.push(JSON.parse(line)) },
      });
      encryption = createDocumentEncryption(t.config, logger);
      const service = (retentionDays: number) =>
        createDocumentService({
          repository: createDocumentRepository(t.db, t.app.deps.fields),
          store: bucket.store,
          envelope: encryption.envelope,
          audit: t.app.deps.audit.writer,
          logger,
          retentionDays,
        });
      routes = documentRoutes(service(30), t.db);
      unretained = documentRoutes(service(0), t.db);
      appRoutes = t.app.httpOptions.routes ?? [];
    });
    afterAll(async () => {
      encryption?.close();
      await t?.close();
    });

    const newClient = async (by: Caller = staff) => {
      const email = `c${Math.random().toString(36).slice(2)}@example.com`;
      const r = await call(appRoutes, 'POST', '/v1/clients', by, {
        body: { name: 'Holder', email },
      });
      return (r.body as { id: string }).id;
    };
    const upload = (
      by: Caller,
      clientId: string,
      name: string,
      raw: RawBody,
      on: readonly RouteDefinition[] = routes,
    ) =>
      call(on, 'POST', '/v1/clients/:id/documents', by, {
        params: { id: clientId },
        query: { name },
        rawBody: raw,
      });
    const list = (by: Caller, clientId: string, query: Record<string, string> = {}) =>
      call(routes, 'GET', '/v1/clients/:id/documents', by, { params: { id: clientId }, query });
    const download = (by: Caller, docId: string) =>
      call(routes, 'GET', '/v1/documents/:docId/content', by, { params: { docId } });
    const remove = (by: Caller, docId: string, on: readonly RouteDefinition[] = routes) =>
      call(on, 'DELETE', '/v1/documents/:docId', by, { params: { docId } });
    const trail = async (resourceId: string) => {
      const r = await call(appRoutes, 'GET', '/v1/audit-events', admin, { query: { resourceId } });
      return (r.body as { items: { action: string; metadata: Record<string, unknown> }[] }).items;
    };
    const rowCount = async (docId: string) =>
      Number(
        (await t.db.one(sql`SELECT count(*) AS n FROM documents WHERE id = ${docId}`)).n as string,
      );

    it('uploads: 201 with the contract JSON, ciphertext in the bucket, the name encrypted in the row', async () => {
      const clientId = await newClient();
      const bytes = Buffer.from('%PDF-1.7 the quarterly report, in clear text');
      const before = Date.now();
      const r = await upload(staff, clientId, 'Q3 report.pdf', body(bytes));
      expect(r.status).toBe(201);
      const doc = r.body as Record<string, string | number>;
      expect(r.headers).toMatchObject({
        location: `/v1/documents/${doc.id}/content`,
        'cache-control': 'no-store',
      });
      expect(doc).toMatchObject({
        clientId,
        name: 'Q3 report.pdf',
        contentType: 'application/pdf',
        size: bytes.length,
        sha256: createHash('sha256').update(bytes).digest('hex'),
      });
      const retention = Date.parse(doc.retainUntil as string) - before;
      expect(retention).toBeGreaterThanOrEqual(30 * 86_400_000 - 1);
      expect(retention).toBeLessThan(30 * 86_400_000 + 60_000);
      const stored = bucket.objects.get(`tenants/${tenant}/documents/${doc.id}`);
      expect(stored).toBeDefined();
      expect(stored?.includes(Buffer.from('quarterly'))).toBe(false);
      const row = await t.db.one(
        sql`SELECT name, object_key, object_version_id FROM documents WHERE id = ${doc.id as string}`,
      );
      expect(String(row.name)).toMatch(/^pl1\./);
      expect(row.object_key).toBe(`tenants/${tenant}/documents/${doc.id}`);
      expect(row.object_version_id).toMatch(/^v\d+$/);
      const events = await trail(doc.id as string);
      expect(events.find((e) => e.action === 'document.uploaded')?.metadata).toEqual({
        clientId,
        contentType: 'application/pdf',
        size: bytes.length,
        sha256: doc.sha256,
      });
    });

    it('downloads the exact bytes with their headers, and audits the read', async () => {
      const clientId = await newClient();
      const bytes = randomBytes(200_000);
      const doc = (await upload(staff, clientId, 'scan (1).png', body(bytes, 'image/png')))
        .body as { id: string; sha256: string };
      const r = await download({ tenantId: tenant, roles: ['viewer'] }, doc.id);
      expect(r.status).toBe(200);
      expect(r.stream).toBe(true);
      expect(r.headers).toMatchObject({
        'content-type': 'image/png',
        'content-length': String(bytes.length),
        'content-disposition': "attachment; filename*=UTF-8''scan%20%281%29.png",
        'repr-digest': `sha-256=:${Buffer.from(doc.sha256, 'hex').toString('base64')}:`,
      });
      const chunks: Buffer[] = [];
      for await (const chunk of r.body as Readable) chunks.push(chunk as Buffer);
      expect(Buffer.concat(chunks).equals(bytes)).toBe(true);
      expect((await trail(doc.id)).map((e) => e.action)).toContain('document.read');
    });

    it('fails the download stream, never ending it, when the stored blob was tampered with', async () => {
      const clientId = await newClient();
      const doc = (
        await upload(staff, clientId, 'a.txt', body(Buffer.from('x'.repeat(5000)), 'text/plain'))
      ).body as { id: string };
      const key = `tenants/${tenant}/documents/${doc.id}`;
      const blob = Buffer.from(bucket.objects.get(key) as Buffer);
      blob[blob.length - 20] = (blob[blob.length - 20] as number) ^ 0xff;
      bucket.objects.set(key, blob);
      const r = await download(staff, doc.id);
      await expect(text(r.body as Readable)).rejects.toThrow();
    });

    it("answers 404 to an upload for an unknown client or another tenant's, storing nothing", async () => {
      const clientId = await newClient();
      const objects = bucket.objects.size;
      await expect(
        upload(staff, randomUUID(), 'x.pdf', body(Buffer.from('x'))),
      ).rejects.toMatchObject({ status: 404, code: 'CLIENT_NOT_FOUND' });
      await expect(
        upload(outsider, clientId, 'x.pdf', body(Buffer.from('x'))),
      ).rejects.toMatchObject({ status: 404, code: 'CLIENT_NOT_FOUND' });
      expect(bucket.objects.size).toBe(objects);
    });

    it("reports the body's own failure (413) rather than the storage error it caused", async () => {
      const clientId = await newClient();
      const objects = bucket.objects.size;
      const failing = new Readable({
        read() {
          this.push(Buffer.alloc(1024, 1));
          this.destroy(
            new AppError('The request body is too large', { status: 413, code: 'BODY_TOO_LARGE' }),
          );
        },
      });
      await expect(upload(staff, clientId, 'big.pdf', body(failing))).rejects.toMatchObject({
        status: 413,
        code: 'BODY_TOO_LARGE',
      });
      expect(bucket.objects.size).toBe(objects);
    });

    it('reports the storage error (503) when the bytes were fine and S3 refused them', async () => {
      const clientId = await newClient();
      bucket.state.failPut = true;
      try {
        await expect(
          upload(staff, clientId, 'x.pdf', body(Buffer.from('fine'))),
        ).rejects.toMatchObject({ status: 503, code: 'DOCUMENT_STORAGE_UNAVAILABLE' });
      } finally {
        bucket.state.failPut = false;
      }
      expect((await list(staff, clientId)).body).toEqual({ items: [], nextCursor: null });
    });

    /** A service whose client check passed a moment ago: the client is gone when the row is written. */
    const staleCheck = (logger = createLogger({ level: 'silent' })) => {
      const repository = createDocumentRepository(t.db, t.app.deps.fields);
      return documentRoutes(
        createDocumentService({
          repository: { ...repository, clientExists: async () => true },
          store: bucket.store,
          envelope: encryption.envelope,
          audit: t.app.deps.audit.writer,
          logger,
          retentionDays: 1,
        }),
        t.db,
      );
    };

    it('deletes the uploaded object again when its row cannot be recorded (client deleted meanwhile)', async () => {
      const removedBefore = bucket.state.removed.length;
      const objects = bucket.objects.size;
      await expect(
        upload(staff, randomUUID(), 'late.pdf', body(Buffer.from('late')), staleCheck()),
      ).rejects.toMatchObject({ status: 404, code: 'CLIENT_NOT_FOUND' });
      expect(bucket.state.removed.length).toBe(removedBefore + 1);
      expect(bucket.state.removed.at(-1)).toMatch(new RegExp(`^tenants/${tenant}/documents/`));
      expect(bucket.objects.size).toBe(objects);
    });

    it('logs an orphaned object when undoing an upload fails, and still reports the first error', async () => {
      const logger = createLogger({
        level: 'error',
        destination: { write: (line: string) => void errors.push(JSON.parse(line)) },
      });
      bucket.state.failRemove = true;
      const logged = errors.length;
      try {
        await expect(
          upload(staff, randomUUID(), 'o.pdf', body(Buffer.from('o')), staleCheck(logger)),
        ).rejects.toMatchObject({ status: 404, code: 'CLIENT_NOT_FOUND' });
      } finally {
        bucket.state.failRemove = false;
      }
      const lines = errors
        .slice(logged)
        .filter((l) => l.msg === 'could not delete an unrecorded upload');
      expect(lines).toHaveLength(1);
      expect(lines[0]?.objectKey).toMatch(
        new RegExp(`^tenants/${tenant}/documents/[0-9a-f-]{36}$`),
      );
    });

    it('lists a client’s documents in pages, each once, with a cursor that cannot be forged', async () => {
      const clientId = await newClient();
      const ids: string[] = [];
      for (let i = 0; i < 5; i++)
        ids.push(
          (
            (await upload(staff, clientId, `p${i}.txt`, body(Buffer.from(`${i}`), 'text/plain')))
              .body as {
              id: string;
            }
          ).id,
        );
      const seen: string[] = [];
      let cursor: string | null = null;
      let pages = 0;
      do {
        const r = await list({ tenantId: tenant, roles: ['viewer'] }, clientId, {
          limit: '2',
          ...(cursor ? { cursor } : {}),
        });
        expect(r.headers['cache-control']).toBe('no-store');
        const page = r.body as { items: { id: string; name: string }[]; nextCursor: string | null };
        expect(page.items.length).toBeLessThanOrEqual(2);
        seen.push(...page.items.map((d) => d.id));
        cursor = page.nextCursor;
        pages++;
      } while (cursor !== null && pages < 10);
      expect(pages).toBe(3);
      expect(seen).toEqual(ids);
      // Exactly a full page: no cursor to an empty page.
      const exact = (await list(staff, clientId, { limit: '5' })).body as { nextCursor: unknown };
      expect(exact.nextCursor).toBeNull();
      await expect(list(staff, clientId, { cursor: 'c1.forged' })).rejects.toMatchObject({
        code: 'INVALID_CURSOR',
      });
      await expect(list(outsider, clientId)).rejects.toMatchObject({ code: 'CLIENT_NOT_FOUND' });
      expect((await trail(ids[0] as string)).map((e) => e.action)).toContain('document.listed');
    });

    it("hides another tenant's document: 404 to read and to delete", async () => {
      const clientId = await newClient();
      const doc = (await upload(staff, clientId, 'mine.pdf', body(Buffer.from('m')))).body as {
        id: string;
      };
      await expect(download(outsider, doc.id)).rejects.toMatchObject({
        status: 404,
        code: 'DOCUMENT_NOT_FOUND',
      });
      await expect(remove(outsider, doc.id, unretained)).rejects.toMatchObject({
        status: 404,
        code: 'DOCUMENT_NOT_FOUND',
      });
      expect(await rowCount(doc.id)).toBe(1);
    });

    it('refuses to delete under retention (409, with its end), deletes after it (204)', async () => {
      const clientId = await newClient();
      const kept = (await upload(staff, clientId, 'kept.pdf', body(Buffer.from('k')))).body as {
        id: string;
        retainUntil: string;
      };
      await expect(remove(admin, kept.id)).rejects.toMatchObject({
        status: 409,
        code: 'RETENTION_ACTIVE',
        details: { retainUntil: kept.retainUntil },
      });
      expect(await rowCount(kept.id)).toBe(1);

      const free = (await upload(staff, clientId, 'free.pdf', body(Buffer.from('f')), unretained))
        .body as { id: string };
      const key = `tenants/${tenant}/documents/${free.id}`;
      expect(bucket.objects.has(key)).toBe(true);
      expect((await remove(admin, free.id, unretained)).status).toBe(204);
      expect(await rowCount(free.id)).toBe(0);
      expect(bucket.objects.has(key)).toBe(false);
      expect((await trail(free.id)).map((e) => e.action)).toContain('document.deleted');
      await expect(remove(admin, free.id, unretained)).rejects.toMatchObject({ status: 404 });
    });

    it('keeps the row when S3 refuses the delete: the transaction rolls back', async () => {
      const clientId = await newClient();
      const doc = (await upload(staff, clientId, 'stuck.pdf', body(Buffer.from('s')), unretained))
        .body as { id: string };
      bucket.state.failRemove = true;
      try {
        await expect(remove(admin, doc.id, unretained)).rejects.toMatchObject({ status: 503 });
      } finally {
        bucket.state.failRemove = false;
      }
      expect(await rowCount(doc.id)).toBe(1);
      expect((await trail(doc.id)).map((e) => e.action)).not.toContain('document.deleted');
    });

    it('answers 500 when the upload route is mounted without a streamed body', async () => {
      await expect(
        call(routes, 'POST', '/v1/clients/:id/documents', staff, {
          params: { id: randomUUID() },
          query: { name: 'x.pdf' },
        }),
      ).rejects.toMatchObject({ status: 500 });
    });

    describe('end clients', () => {
      const self = (id: string): Caller => ({ tenantId: tenant, id, roles: ['client'] });

      it('GET /v1/me/documents lists their own documents only', async () => {
        const mine = await newClient();
        const theirs = await newClient();
        const doc = (await upload(staff, mine, 'mine.pdf', body(Buffer.from('m')))).body as {
          id: string;
        };
        await upload(staff, theirs, 'theirs.pdf', body(Buffer.from('t')));
        const r = await call(routes, 'GET', '/v1/me/documents', self(mine));
        expect(r.headers['cache-control']).toBe('no-store');
        expect((r.body as { items: { id: string }[] }).items.map((d) => d.id)).toEqual([doc.id]);
      });

      it('GET /v1/me/documents answers ME_NOT_FOUND, not CLIENT_NOT_FOUND, once the client is gone', async () => {
        await expect(
          call(routes, 'GET', '/v1/me/documents', self(randomUUID())),
        ).rejects.toMatchObject({ status: 404, code: 'ME_NOT_FOUND' });
      });

      it('GET /v1/me returns their own record, no-store, and audits the read as self', async () => {
        const clients = createClientRepository(t.db, t.app.deps.fields, t.app.deps.emailIndex);
        const me = meRoutes(clients, t.app.deps.audit.writer);
        const id = await newClient();
        const r = await call(me, 'GET', '/v1/me', self(id));
        expect(r.status).toBe(200);
        expect(r.headers['cache-control']).toBe('no-store');
        expect(r.body).toMatchObject({ id, name: 'Holder', version: 1 });
        const read = (await trail(id)).find((e) => e.action === 'client.read');
        expect(read?.metadata).toEqual({ self: true });
        await expect(call(me, 'GET', '/v1/me', self(randomUUID()))).rejects.toMatchObject({
          status: 404,
          code: 'ME_NOT_FOUND',
        });
        await expect(
          call(me, 'GET', '/v1/me', { tenantId: newTenant(), id, roles: ['client'] }),
        ).rejects.toMatchObject({ code: 'ME_NOT_FOUND' });
      });
    });
  },
);
