import { describe, expect, it } from 'vitest';
import { FRAMEWORKS, readJson, useApp } from '../support/fixture.js';

const post = (url: string, body: unknown, query = '') =>
  fetch(`${url}/v1/items${query}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });

describe.each(FRAMEWORKS)('validation on %s', (framework) => {
  const t = useApp(framework);

  it('passes parsed input to the handler and uses the route status', async () => {
    const res = await post(t.app.url, { name: 'bolt', qty: 3 });
    expect(res.status).toBe(201);
    expect(await readJson(res)).toEqual({ name: 'bolt', qty: 3 });
  });

  it('answers invalid body fields with 400 and one errors[] entry per field, prefixed by part', async () => {
    const res = await post(t.app.url, { name: '', qty: 1.5 });
    expect(res.status).toBe(400);
    const body = await readJson(res);
    expect(body.code).toBe('VALIDATION_FAILED');
    expect(body.errors.map((e: { path: string }) => e.path).sort()).toEqual([
      'body.name',
      'body.qty',
    ]);
  });

  it('checks params, query and headers before the body is read: a bad query is reported alone', async () => {
    const res = await post(t.app.url, { name: 'a', qty: 1, extra: true }, '?dryRun=maybe');
    expect(res.status).toBe(400);
    const body = await readJson(res);
    expect(body.errors.map((e: { path: string }) => e.path)).toEqual(['query.dryRun']);
  });

  it('reports unknown body keys once params, query and headers pass', async () => {
    const res = await post(t.app.url, { name: 'a', qty: 1, extra: true }, '?dryRun=true');
    expect(res.status).toBe(400);
    const body = await readJson(res);
    expect(body.errors.map((e: { path: string }) => e.path)).toEqual(['body.extra']);
  });

  it('refuses a JSON body that is not valid UTF-8 (400 MALFORMED_JSON), rather than storing U+FFFD', async () => {
    const bytes = Buffer.concat([
      Buffer.from('{"name":"'),
      Buffer.from([0xff, 0xfe]),
      Buffer.from('","qty":1}'),
    ]);
    const res = await fetch(`${t.app.url}/v1/items`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: bytes,
    });
    expect(res.status).toBe(400);
    const body = await readJson(res);
    expect(body.code).toBe('MALFORMED_JSON');
    expect(body.errors).toEqual([expect.objectContaining({ message: 'is not valid UTF-8' })]);
  });

  it('passes a query key repeated three times as an array, which a string schema refuses', async () => {
    const res = await post(
      t.app.url,
      { name: 'a', qty: 1 },
      '?dryRun=true&dryRun=false&dryRun=true',
    );
    expect(res.status).toBe(400);
    expect((await readJson(res)).errors[0]?.path).toBe('query.dryRun');
  });

  it('answers a missing body with 400 on a route whose body is required', async () => {
    const res = await fetch(`${t.app.url}/v1/items`, { method: 'POST' });
    expect(res.status).toBe(400);
    expect((await readJson(res)).errors[0]?.path).toBe('body');
  });

  it('validates path params', async () => {
    const res = await fetch(`${t.app.url}/v1/items/NOT_VALID`);
    expect(res.status).toBe(400);
    expect((await readJson(res)).errors[0]?.path).toBe('params.id');
  });

  it('answers 204 with no body when the handler returns nothing', async () => {
    const res = await fetch(`${t.app.url}/v1/items/abc`, { method: 'DELETE' });
    expect(res.status).toBe(204);
    expect(await res.text()).toBe('');
  });

  it('sends the status and headers of a reply()', async () => {
    const res = await fetch(`${t.app.url}/created`);
    expect(res.status).toBe(201);
    expect(res.headers.get('location')).toBe('/v1/items/x');
  });

  it('answers HEAD on a GET route with the headers and no body', async () => {
    const res = await fetch(`${t.app.url}/hello`, { method: 'HEAD' });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(await res.text()).toBe('');
  });
});

describe.each(FRAMEWORKS)('paths both routers must answer alike on %s', (framework) => {
  const t = useApp(framework);

  it('answers an empty path parameter 404, as if no route had the path', async () => {
    for (const path of ['/v1/items/', '/v1/items//']) {
      const res = await fetch(`${t.app.url}${path}`);
      expect(res.status).toBe(404);
      expect((await readJson(res)).code).toBe('ROUTE_NOT_FOUND');
    }
  });

  it('answers a percent escape that does not decode 400 BAD_URL, in a static segment too', async () => {
    for (const path of ['/v1/items%zz', '/v1/items/%E0%A4%A']) {
      const res = await fetch(`${t.app.url}${path}`);
      expect(res.status).toBe(400);
      expect((await readJson(res)).code).toBe('BAD_URL');
    }
  });
});
