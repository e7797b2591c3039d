import { createHash } from 'node:crypto';
import { Agent, request as httpRequest } from 'node:http';
import { PassThrough, Readable } from 'node:stream';
import { ForbiddenError, isAppError } from '@plinth/errors';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  buildOpenApiDocument,
  createHttpCore,
  defineRoute,
  type RouteDefinition,
  reply,
  streamReply,
} from '../../src/index.js';
import { captureLogger, type RunningApp, startApp } from '../support/apps.js';
import { FRAMEWORKS, readJson } from '../support/fixture.js';

const LIMIT = 64 * 1024;
const TYPES = ['application/pdf', 'text/plain'];

/** What the upload handler saw, for the cases that cut a body off. */
const seen: { error?: string; chunks: number; bytes: number; waiting?: () => void } = {
  chunks: 0,
  bytes: 0,
};

const upload = defineRoute({
  method: 'POST',
  path: '/v1/files',
  body: 'stream',
  mediaTypes: TYPES,
  bodyLimit: LIMIT,
  schema: { query: z.object({ name: z.string().min(1) }) },
  status: 201,
  handler: async ({ rawBody, query }) => {
    const hash = createHash('sha256');
    let size = 0;
    seen.error = undefined;
    seen.chunks = 0;
    seen.bytes = 0;
    try {
      for await (const chunk of rawBody?.stream ?? []) {
        hash.update(chunk as Buffer);
        size += (chunk as Buffer).length;
        seen.chunks += 1;
        seen.bytes = size;
        seen.waiting?.();
      }
    } catch (err) {
      seen.error = isAppError(err) ? err.code : 'other';
      throw err;
    }
    return {
      name: query.name,
      size,
      sha256: hash.digest('hex'),
      mediaType: rawBody?.mediaType,
      length: rawBody?.length ?? null,
    };
  },
});

const refuseUnread = defineRoute({
  method: 'POST',
  path: '/v1/refuse',
  body: 'stream',
  mediaTypes: ['text/plain'],
  handler: () => reply(409, { refused: true }),
});

const PAYLOAD = Buffer.alloc(200_000, 'abcdefgh');
const BIG = Buffer.alloc(1024 * 1024, 'ijklmnop');

/** Reads its upload to the end: with a limit large enough that a body outgrows any buffer. */
const big = defineRoute({
  method: 'POST',
  path: '/v1/big',
  body: 'stream',
  mediaTypes: ['text/plain'],
  bodyLimit: 2 * BIG.length,
  handler: async ({ rawBody }) => {
    let size = 0;
    for await (const chunk of rawBody?.stream ?? []) size += (chunk as Buffer).length;
    return { size };
  },
});

function failing(afterBytes: number): Readable {
  let sent = false;
  return new Readable({
    read() {
      if (afterBytes > 0 && !sent) {
        sent = true;
        this.push(PAYLOAD.subarray(0, afterBytes));
        return;
      }
      setImmediate(() => this.destroy(new Error('disk gone')));
    },
  });
}

const download = defineRoute({
  method: 'GET',
  path: '/v1/files/:kind',
  schema: { params: z.object({ kind: z.enum(['ok', 'empty', 'early', 'late']) }) },
  handler: ({ params }) => {
    if (params.kind === 'ok')
      return streamReply(
        200,
        Readable.from([PAYLOAD.subarray(0, 100_000), PAYLOAD.subarray(100_000)]),
        {
          'content-type': 'application/pdf',
          'content-length': String(PAYLOAD.length),
        },
      );
    if (params.kind === 'empty')
      return streamReply(200, Readable.from([]), { 'content-type': 'text/plain' });
    return streamReply(200, failing(params.kind === 'late' ? 1000 : 0), {
      'content-type': 'application/pdf',
      'content-length': String(PAYLOAD.length),
    });
  },
});

const routes = [upload, refuseUnread, download, big] as RouteDefinition[];

describe.each(FRAMEWORKS)('raw bodies and streamed replies on %s', (framework) => {
  let app: RunningApp;
  const log = captureLogger();
  beforeAll(async () => {
    app = await startApp(framework, {
      routes,
      logger: log.logger,
      preHandlers: [
        ({ headers }) => {
          if (headers['x-refuse'] !== undefined) throw new ForbiddenError('Refused');
          return undefined;
        },
      ],
    });
  });
  afterAll(() => app.close());

  const post = (
    body: string | Uint8Array | ReadableStream | undefined,
    headers: Record<string, string>,
    path = '/v1/files?name=a',
  ) =>
    fetch(`${app.url}${path}`, {
      method: 'POST',
      headers,
      body,
      ...(body instanceof ReadableStream ? { duplex: 'half' } : {}),
    } as RequestInit);

  it('hands the handler the upload as a stream with its media type and declared length', async () => {
    const body = PAYLOAD.subarray(0, 50_000);
    const res = await post(body, { 'content-type': 'Application/PDF; foo=bar' });
    expect(res.status).toBe(201);
    expect(await readJson(res)).toEqual({
      name: 'a',
      size: 50_000,
      sha256: createHash('sha256').update(body).digest('hex'),
      mediaType: 'application/pdf',
      length: 50_000,
    });
  });

  it('streams a chunked upload of unknown length', async () => {
    const parts = [Buffer.from('hello '), Buffer.from('world')];
    const stream = new ReadableStream({
      start(controller) {
        for (const p of parts) controller.enqueue(p);
        controller.close();
      },
    });
    const res = await post(stream, { 'content-type': 'text/plain' });
    const body = await readJson(res);
    expect(res.status).toBe(201);
    expect(body).toMatchObject({ size: 11, length: null, mediaType: 'text/plain' });
  });

  it('gives an empty stream for an empty body of an accepted type', async () => {
    const res = await post('', { 'content-type': 'text/plain' });
    expect(res.status).toBe(201);
    expect(await readJson(res)).toMatchObject({ size: 0, length: 0 });
  });

  it('answers a media type off the list with 415 naming the accepted ones', async () => {
    const res = await post('<html>', { 'content-type': 'text/html' });
    expect(res.status).toBe(415);
    expect(res.headers.get('content-type')).toBe('application/problem+json');
    const body = await readJson(res);
    expect(body.code).toBe('UNSUPPORTED_MEDIA_TYPE');
    expect(body.details).toEqual({ accepted: TYPES });
  });

  it('answers a missing Content-Type and a content coding with 415', async () => {
    const bare = await fetch(`${app.url}/v1/files?name=a`, {
      method: 'POST',
      body: new Uint8Array([1, 2, 3]),
    });
    expect(bare.status).toBe(415);
    const gzip = await post('x', { 'content-type': 'text/plain', 'content-encoding': 'gzip' });
    expect(gzip.status).toBe(415);
  });

  it('refuses a declared length over the limit with 413 before the handler runs', async () => {
    seen.chunks = -1;
    const res = await post(PAYLOAD.subarray(0, LIMIT + 1), { 'content-type': 'text/plain' });
    expect(res.status).toBe(413);
    expect((await readJson(res)).code).toBe('BODY_TOO_LARGE');
    expect(seen.chunks).toBe(-1);
  });

  it('fails the stream with 413 once a chunked upload passes the limit', async () => {
    const chunk = PAYLOAD.subarray(0, 16 * 1024);
    let n = 0;
    const stream = new ReadableStream({
      pull(controller) {
        if (n++ < 8) controller.enqueue(chunk);
        else controller.close();
      },
    });
    const res = await post(stream, { 'content-type': 'application/pdf' });
    expect(res.status).toBe(413);
    expect(seen.error).toBe('BODY_TOO_LARGE');
    expect(seen.bytes).toBeGreaterThan(0);
    expect(seen.bytes).toBeLessThanOrEqual(LIMIT);
  });

  it('fails the stream with REQUEST_ABORTED when the client disconnects mid-body', async () => {
    const gotData = new Promise<void>((resolve) => {
      seen.waiting = resolve;
    });
    const req = httpRequest(`${app.url}/v1/files?name=cut`, {
      method: 'POST',
      headers: { 'content-type': 'text/plain', 'content-length': '60000' },
    });
    req.on('error', () => {});
    req.write(PAYLOAD.subarray(0, 1000));
    await gotData;
    seen.waiting = undefined;
    req.destroy();
    await expect.poll(() => seen.error, { timeout: 5000 }).toBe('REQUEST_ABORTED');
  });

  it('drops an upload the handler did not read and keeps the connection usable', async () => {
    const res = await post(
      PAYLOAD.subarray(0, 30_000),
      { 'content-type': 'text/plain' },
      '/v1/refuse',
    );
    expect(res.status).toBe(409);
    expect(await readJson(res)).toEqual({ refused: true });
    const next = await post('ok', { 'content-type': 'text/plain' });
    expect(next.status).toBe(201);
  });

  it('keeps a kept-alive connection usable when a pre-handler refuses an unread upload', async () => {
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    const send = (refuse: boolean) =>
      new Promise<{ status: number; socket: unknown }>((resolve, reject) => {
        const req = httpRequest(`${app.url}/v1/big`, {
          method: 'POST',
          agent,
          headers: {
            'content-type': 'text/plain',
            'content-length': String(BIG.length),
            ...(refuse ? { 'x-refuse': '1' } : {}),
          },
        });
        req.on('response', (res) => {
          res.resume();
          res.on('end', () => resolve({ status: res.statusCode ?? 0, socket: req.socket }));
        });
        req.on('error', reject);
        req.end(BIG);
      });
    try {
      const refused = await send(true);
      expect(refused.status).toBe(403);
      const next = await send(false);
      expect(next.status).toBe(200);
      expect(next.socket).toBe(refused.socket);
    } finally {
      agent.destroy();
    }
  });

  it('still validates the query of a stream route', async () => {
    const res = await post('x', { 'content-type': 'text/plain' }, '/v1/files');
    expect(res.status).toBe(400);
    expect((await readJson(res)).errors[0]?.path).toBe('query.name');
  });

  it('streams a reply with its own content type and length', async () => {
    const res = await fetch(`${app.url}/v1/files/ok`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/pdf');
    expect(res.headers.get('content-length')).toBe(String(PAYLOAD.length));
    expect(res.headers.get('x-correlation-id')).toBeTruthy();
    expect(Buffer.from(await res.arrayBuffer()).equals(PAYLOAD)).toBe(true);
  });

  it('sends an empty streamed reply', async () => {
    const res = await fetch(`${app.url}/v1/files/empty`);
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('');
  });

  it('answers a stream that fails before its first byte with problem+json', async () => {
    const res = await fetch(`${app.url}/v1/files/early`);
    expect(res.status).toBe(500);
    expect(res.headers.get('content-type')).toBe('application/problem+json');
    expect((await readJson(res)).code).toBe('INTERNAL_ERROR');
  });

  it('cuts the connection when a stream fails after its first bytes', async () => {
    const res = await fetch(`${app.url}/v1/files/late`);
    expect(res.status).toBe(200);
    await expect(res.arrayBuffer()).rejects.toThrow();
  });
});

describe('stream route options', () => {
  const base = { method: 'POST' as const, path: '/u', handler: () => undefined };
  const codeOf = (route: RouteDefinition) => {
    try {
      createHttpCore({ routes: [route] });
      return 'ok';
    } catch (err) {
      return isAppError(err) ? `${err.code} ${err.message}` : 'other';
    }
  };

  it('requires mediaTypes on a stream route', () => {
    expect(codeOf({ ...base, body: 'stream' })).toMatch(/INVALID_OPTIONS.*routes\.0\.mediaTypes/);
    expect(codeOf({ ...base, body: 'stream', mediaTypes: [] })).toMatch(/routes\.0\.mediaTypes/);
  });

  it('refuses mediaTypes on a JSON route, a body schema on a stream route and malformed types', () => {
    expect(codeOf({ ...base, mediaTypes: ['text/plain'] })).toMatch(/applies only/);
    expect(
      codeOf({ ...base, body: 'stream', mediaTypes: ['text/plain'], schema: { body: z.string() } }),
    ).toMatch(/routes\.0\.schema\.body/);
    expect(codeOf({ ...base, body: 'stream', mediaTypes: ['Text/Plain'] })).toMatch(/lower-case/);
    expect(codeOf({ ...base, body: 'stream', mediaTypes: ['text/plain; charset=utf-8'] })).toMatch(
      /lower-case/,
    );
    expect(codeOf({ ...base, body: 'xml' as 'json' })).toMatch(/routes\.0\.body/);
    expect(codeOf({ ...base, body: 'stream', mediaTypes: ['image/png'] })).toBe('ok');
  });

  it('describes the raw body in the OpenAPI document', () => {
    const doc = buildOpenApiDocument([upload as RouteDefinition]) as {
      paths: Record<string, Record<string, { requestBody?: unknown }>>;
    };
    expect(doc.paths['/v1/files']?.post?.requestBody).toEqual({
      required: true,
      content: { 'application/pdf': {}, 'text/plain': {} },
    });
  });

  it('passes a stream that already ended or already has bytes without waiting', async () => {
    const ended = new PassThrough();
    ended.end();
    ended.resume();
    await new Promise((r) => ended.once('end', r));
    const core = createHttpCore({
      routes: [defineRoute({ method: 'GET', path: '/d', handler: () => streamReply(200, ended) })],
    });
    const req = Object.assign(Readable.from([]), {
      method: 'GET',
      url: '/d',
      headers: {},
    });
    const res = await core.run(core.routes[0] as RouteDefinition, req as never);
    expect(res.status).toBe(200);
    expect(res.stream).toBe(ended);
  });
});
