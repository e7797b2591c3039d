import { describe, expect, it } from 'vitest';
import { FRAMEWORKS, readJson, useApp } from '../support/fixture.js';

const PROBLEM = 'application/problem+json';

describe.each(FRAMEWORKS)('problem+json errors on %s', (framework) => {
  const t = useApp(framework);

  it('renders an unknown throwable as a 500 with errorId and no message', async () => {
    const res = await fetch(`${t.app.url}/boom`);
    expect(res.status).toBe(500);
    expect(res.headers.get('content-type')).toBe(PROBLEM);
    const text = await res.text();
    expect(text).not.toMatch(/hunter2|db failed|stack|at /);
    const body = JSON.parse(text);
    expect(body).toMatchObject({
      status: 500,
      code: 'INTERNAL_ERROR',
      title: 'Internal Server Error',
      instance: '/boom',
    });
    expect(body.errorId).toEqual(expect.any(String));
  });

  it('logs the 500 at error level with its errorId and no secret in the line', async () => {
    const res = await fetch(`${t.app.url}/boom`);
    const { errorId } = await readJson(res);
    const line = t.log.lines.find((l) => l.obj.errorId === errorId);
    expect(line?.level).toBe('error');
    expect(line?.obj.status).toBe(500);
  });

  it('keeps the status and client-safe message of a thrown AppError', async () => {
    const res = await fetch(`${t.app.url}/conflict`);
    expect(res.status).toBe(409);
    expect(await readJson(res)).toMatchObject({ code: 'CONFLICT', detail: 'That name is taken' });
  });

  it('sends Retry-After with a rate-limit error', async () => {
    const res = await fetch(`${t.app.url}/limited`);
    expect(res.status).toBe(429);
    expect(res.headers.get('retry-after')).toBe('30');
  });

  it('answers an unknown route with 404 problem+json', async () => {
    const res = await fetch(`${t.app.url}/nope`);
    expect(res.status).toBe(404);
    expect(res.headers.get('content-type')).toBe(PROBLEM);
    expect((await readJson(res)).code).toBe('ROUTE_NOT_FOUND');
  });

  it('matches paths case-sensitively and without a trailing slash', async () => {
    expect((await fetch(`${t.app.url}/HELLO`)).status).toBe(404);
    expect((await fetch(`${t.app.url}/hello/`)).status).toBe(404);
  });

  it('answers a known path with the wrong method with 405 and Allow', async () => {
    const res = await fetch(`${t.app.url}/v1/items/abc`, { method: 'PUT' });
    expect(res.status).toBe(405);
    expect(res.headers.get('allow')).toBe('DELETE, GET, HEAD');
    expect((await readJson(res)).code).toBe('METHOD_NOT_ALLOWED');
  });

  it('answers malformed JSON with 400 MALFORMED_JSON', async () => {
    const res = await fetch(`${t.app.url}/echo`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"a":',
    });
    expect(res.status).toBe(400);
    expect((await readJson(res)).code).toBe('MALFORMED_JSON');
  });

  it('answers a body over the route limit with 413 naming the limit', async () => {
    const res = await fetch(`${t.app.url}/small`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ text: 'x'.repeat(64) }),
    });
    expect(res.status).toBe(413);
    expect(await readJson(res)).toMatchObject({
      code: 'BODY_TOO_LARGE',
      details: { limitBytes: 16 },
    });
  });

  it('answers a body of another media type with 415', async () => {
    const res = await fetch(`${t.app.url}/echo`, {
      method: 'POST',
      headers: { 'content-type': 'text/plain' },
      body: 'hello',
    });
    expect(res.status).toBe(415);
    expect((await readJson(res)).code).toBe('UNSUPPORTED_MEDIA_TYPE');
  });

  it('answers a JSON body in another charset with 415', async () => {
    const res = await fetch(`${t.app.url}/echo`, {
      method: 'POST',
      headers: { 'content-type': 'application/json; charset=latin1' },
      body: '{}',
    });
    expect(res.status).toBe(415);
  });

  it('accepts a +json media type', async () => {
    const res = await fetch(`${t.app.url}/echo`, {
      method: 'POST',
      headers: { 'content-type': 'application/merge-patch+json; charset=UTF-8' },
      body: '{"a":1}',
    });
    expect(res.status).toBe(200);
    expect(await readJson(res)).toEqual({ keys: ['a'], polluted: null });
  });

  it('marks error responses as not cacheable', async () => {
    const res = await fetch(`${t.app.url}/nope`);
    expect(res.headers.get('cache-control')).toBe('no-store');
  });
});
