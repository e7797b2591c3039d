import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import { buffer } from 'node:stream/consumers';
import { AppError } from '@plinth/errors';
import { createLogger } from '@plinth/logging';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { createDocumentStore, type DocumentStore } from '../src/documents/storage.js';

const BUCKET = 'clients-documents';

/** What the fake bucket answers to `GET /<bucket>?object-lock`. */
type LockAnswer =
  | 'enabled'
  | 'disabled'
  | 'missing'
  | 'not-implemented'
  | 'denied'
  | 'missing-bucket'
  | 'missing-config-404';

interface Seen {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingMessage['headers'];
}

/** Reads a body, undoing the SDK's `aws-chunked` framing when it uses it. */
async function readBody(req: IncomingMessage): Promise<Buffer> {
  const raw = await buffer(req);
  if (!String(req.headers['content-encoding'] ?? '').includes('aws-chunked')) return raw;
  const parts: Buffer[] = [];
  let at = 0;
  for (let guard = 0; guard < 10_000; guard++) {
    const eol = raw.indexOf('\r\n', at);
    const size = Number.parseInt(raw.subarray(at, eol).toString().split(';')[0] as string, 16);
    if (!(size > 0)) break;
    parts.push(raw.subarray(eol + 2, eol + 2 + size));
    at = eol + 2 + size + 2;
  }
  return Buffer.concat(parts);
}

const xmlError = (res: ServerResponse, status: number, code: string) => {
  res.writeHead(status, { 'content-type': 'application/xml' });
  res.end(
    `<?xml version="1.0" encoding="UTF-8"?><Error><Code>${code}</Code><Message>${code}</Message></Error>`,
  );
};

/** Just enough of S3 on loopback: object lock configuration, put, get and delete of objects. */
function fakeS3() {
  const objects = new Map<string, Buffer>();
  const seen: Seen[] = [];
  const state = { lock: 'enabled' as LockAnswer, failObjects: false, version: 0 };
  const server: Server = createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    seen.push({
      method: req.method ?? '',
      path: url.pathname,
      query: url.searchParams,
      headers: req.headers,
    });
    const body = await readBody(req);
    const key = decodeURIComponent(url.pathname.slice(`/${BUCKET}/`.length));
    if (url.searchParams.has('object-lock')) {
      const answers: Record<LockAnswer, () => void> = {
        enabled: () => {
          res.writeHead(200, { 'content-type': 'application/xml' });
          res.end(
            '<?xml version="1.0" encoding="UTF-8"?><ObjectLockConfiguration><ObjectLockEnabled>Enabled</ObjectLockEnabled></ObjectLockConfiguration>',
          );
        },
        disabled: () => {
          res.writeHead(200, { 'content-type': 'application/xml' });
          res.end(
            '<?xml version="1.0" encoding="UTF-8"?><ObjectLockConfiguration></ObjectLockConfiguration>',
          );
        },
        missing: () => xmlError(res, 404, 'ObjectLockConfigurationNotFoundError'),
        'missing-bucket': () => xmlError(res, 404, 'NoSuchBucket'),
        'missing-config-404': () => xmlError(res, 404, 'SomeOtherNotFound'),
        'not-implemented': () => xmlError(res, 501, 'SomethingElse'),
        denied: () => xmlError(res, 403, 'AccessDenied'),
      };
      answers[state.lock]();
      return;
    }
    if (state.failObjects) return xmlError(res, 403, 'AccessDenied');
    if (req.method === 'PUT') {
      objects.set(key, body);
      res.writeHead(200, { etag: '"e"', 'x-amz-version-id': `v${++state.version}` });
      return res.end();
    }
    if (req.method === 'GET') {
      const found = objects.get(key);
      if (!found) return xmlError(res, 404, 'NoSuchKey');
      res.writeHead(200, { 'content-length': String(found.length) });
      return res.end(found);
    }
    if (req.method === 'DELETE') {
      objects.delete(key);
      res.writeHead(204);
      return res.end();
    }
    xmlError(res, 400, 'InvalidRequest');
  });
  return { server, objects, seen, state };
}

describe('createDocumentStore against an S3-compatible server on loopback', () => {
  const s3 = fakeS3();
  let endpoint: string;
  let store: DocumentStore;
  const lines: Record<string, unknown>[] = [];

  beforeAll(async () => {
    s3.server.listen(0, '127.0.0.1');
    await once(s3.server, 'listening');
    endpoint = `http://127.0.0.1:${(s3.server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    s3.server.close();
    await once(s3.server, 'close');
  });

  beforeEach(() => {
    vi.stubEnv('AWS_ACCESS_KEY_ID', 'test-access-key');
    vi.stubEnv('AWS_SECRET_ACCESS_KEY', 'test-secret-key');
    s3.seen.length = 0;
    s3.objects.clear();
    s3.state.lock = 'enabled';
    s3.state.failObjects = false;
    lines.length = 0;
    const logger = createLogger({
      level: 'info',
      destination: { write: (line: string) => void lines.push(JSON.parse(line)) },
    });
    store = createDocumentStore(
      {
        S3_BUCKET: BUCKET,
        S3_ENDPOINT: endpoint,
        S3_FORCE_PATH_STYLE: true,
        AWS_REGION: 'us-east-1',
      },
      logger,
    );
  });
  afterEach(() => {
    store.close();
    vi.unstubAllEnvs();
  });

  const future = () => new Date(Date.now() + 86_400_000);
  const puts = () => s3.seen.filter((r) => r.method === 'PUT');
  const lockQueries = () => s3.seen.filter((r) => r.query.has('object-lock'));

  it('stores the bytes as octet-stream with GOVERNANCE retention when the bucket has Object Lock', async () => {
    const retainUntil = new Date('2099-01-02T03:04:05.000Z');
    const out = await store.put(
      'tenants/t/documents/d',
      Readable.from([Buffer.from('cipher')]),
      retainUntil,
    );
    expect(out.versionId).toMatch(/^v\d+$/);
    expect(s3.objects.get('tenants/t/documents/d')?.toString()).toBe('cipher');
    const [put] = puts();
    expect(put?.path).toBe(`/${BUCKET}/tenants/t/documents/d`);
    expect(put?.headers['content-type']).toBe('application/octet-stream');
    expect(put?.headers['x-amz-object-lock-mode']).toBe('GOVERNANCE');
    expect(
      new Date(String(put?.headers['x-amz-object-lock-retain-until-date'])).toISOString(),
    ).toBe(retainUntil.toISOString());
    expect(lines).toContainEqual(expect.objectContaining({ objectLock: true }));
  });

  it('asks about Object Lock once, however many uploads follow', async () => {
    for (let i = 0; i < 3; i++)
      await store.put(`k${i}`, Readable.from([Buffer.from('x')]), future());
    expect(lockQueries()).toHaveLength(1);
    expect(puts()).toHaveLength(3);
  });

  it('sets no retention for a date already past (DOCUMENT_RETENTION_DAYS=0)', async () => {
    await store.put('now', Readable.from([Buffer.from('x')]), new Date(Date.now() - 1));
    expect(puts()[0]?.headers['x-amz-object-lock-mode']).toBeUndefined();
  });

  it.each([
    ['disabled', 'a configuration without ObjectLockEnabled'],
    ['missing', 'ObjectLockConfigurationNotFoundError'],
    ['missing-config-404', 'any other 404'],
    ['not-implemented', 'a 501 from a server without the feature'],
  ] as const)('stores without retention when the bucket answers %s (%s)', async (answer, _why) => {
    s3.state.lock = answer;
    await store.put('plain', Readable.from([Buffer.from('x')]), future());
    expect(puts()[0]?.headers['x-amz-object-lock-mode']).toBeUndefined();
    expect(puts()[0]?.headers['x-amz-object-lock-retain-until-date']).toBeUndefined();
    expect(lines).toContainEqual(expect.objectContaining({ objectLock: false }));
  });

  it('answers 503 for a missing bucket and asks again once it exists, with retention', async () => {
    s3.state.lock = 'missing-bucket';
    await expect(store.put('k', Readable.from([Buffer.from('x')]), future())).rejects.toMatchObject(
      { status: 503, code: 'DOCUMENT_STORAGE_UNAVAILABLE' },
    );
    expect(puts()).toHaveLength(0);
    s3.state.lock = 'enabled';
    await store.put('k', Readable.from([Buffer.from('x')]), future());
    expect(lockQueries()).toHaveLength(2);
    expect(puts()[0]?.headers['x-amz-object-lock-mode']).toBe('GOVERNANCE');
  });

  it('answers 503 when Object Lock cannot be determined, and asks again next time', async () => {
    s3.state.lock = 'denied';
    await expect(store.put('k', Readable.from([Buffer.from('x')]), future())).rejects.toMatchObject(
      {
        status: 503,
        code: 'DOCUMENT_STORAGE_UNAVAILABLE',
        retryAfterSeconds: 5,
      },
    );
    expect(puts()).toHaveLength(0);
    s3.state.lock = 'enabled';
    await store.put('k', Readable.from([Buffer.from('x')]), future());
    expect(lockQueries()).toHaveLength(2);
    expect(puts()[0]?.headers['x-amz-object-lock-mode']).toBe('GOVERNANCE');
  });

  it("answers 503 when S3 refuses the object, but passes the body's own AppError through", async () => {
    s3.state.failObjects = true;
    await expect(store.put('k', Readable.from([Buffer.from('x')]), future())).rejects.toMatchObject(
      {
        status: 503,
        code: 'DOCUMENT_STORAGE_UNAVAILABLE',
      },
    );
    s3.state.failObjects = false;
    const tooLarge = new AppError('The request body is too large', {
      status: 413,
      code: 'BODY_TOO_LARGE',
    });
    const failing = new Readable({
      read() {
        this.destroy(tooLarge);
      },
    });
    await expect(store.put('k2', failing, future())).rejects.toBe(tooLarge);
    expect(s3.objects.has('k2')).toBe(false);
    expect(puts().filter((r) => r.path.endsWith('/k2'))).toEqual([]);
  });

  it('reads an object back, by version when it has one', async () => {
    const { versionId } = await store.put(
      'r',
      Readable.from([Buffer.from('stored bytes')]),
      future(),
    );
    const latest = await buffer(await store.get('r', null));
    expect(latest.toString()).toBe('stored bytes');
    expect(s3.seen.at(-1)?.query.has('versionId')).toBe(false);
    await buffer(await store.get('r', versionId ?? 'missing'));
    expect(s3.seen.at(-1)?.query.get('versionId')).toBe(versionId);
  });

  it('answers 503 when an object cannot be read', async () => {
    await expect(store.get('absent', null)).rejects.toMatchObject({
      status: 503,
      code: 'DOCUMENT_STORAGE_UNAVAILABLE',
    });
  });

  it('deletes a version, lifting retention only when asked to', async () => {
    await store.put('d', Readable.from([Buffer.from('x')]), future());
    await store.remove('d', 'v7');
    const plain = s3.seen.at(-1);
    expect(plain?.method).toBe('DELETE');
    expect(plain?.query.get('versionId')).toBe('v7');
    expect(plain?.headers['x-amz-bypass-governance-retention']).toBeUndefined();
    await store.remove('d', null, true);
    const bypass = s3.seen.at(-1);
    expect(bypass?.query.has('versionId')).toBe(false);
    expect(bypass?.headers['x-amz-bypass-governance-retention']).toBe('true');
    expect(s3.objects.has('d')).toBe(false);
  });

  it('answers 503 when S3 refuses a delete', async () => {
    s3.state.failObjects = true;
    await expect(store.remove('d', null)).rejects.toMatchObject({
      status: 503,
      code: 'DOCUMENT_STORAGE_UNAVAILABLE',
    });
  });
});
