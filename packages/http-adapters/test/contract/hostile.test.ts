import { describe, expect, it } from 'vitest';
import { FRAMEWORKS, readJson, useApp } from '../support/fixture.js';
import { rawRequest, statusOf } from '../support/raw.js';

const postJson = (url: string, body: string | Uint8Array) =>
  fetch(`${url}/echo`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });

describe.each(FRAMEWORKS)('hostile input on %s', (framework) => {
  const t = useApp(framework);
  const alive = async () => expect((await fetch(`${t.app.url}/hello`)).status).toBe(200);

  it('refuses a 10 MB body with 413 from its declared length', async () => {
    const res = await postJson(t.app.url, new Uint8Array(10 * 1024 * 1024).fill(32));
    expect(res.status).toBe(413);
    expect((await readJson(res)).code).toBe('BODY_TOO_LARGE');
    await alive();
  });

  it('refuses a chunked body that passes the limit while streaming', async () => {
    const chunk = `${(64 * 1024).toString(16)}\r\n${' '.repeat(64 * 1024)}\r\n`;
    const head =
      'POST /echo HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n';
    const raw = await rawRequest(t.app.port, head + chunk.repeat(20), 3000);
    expect(statusOf(raw)).toBe(413);
    await alive();
  });

  it('refuses text that is not JSON under a JSON content type with 400', async () => {
    const res = await postJson(t.app.url, '<xml>not json</xml>');
    expect(res.status).toBe(400);
    expect((await readJson(res)).code).toBe('MALFORMED_JSON');
  });

  it('refuses JSON nested 10,000 deep with 400 before parsing it', async () => {
    const res = await postJson(t.app.url, `${'['.repeat(10_000)}${']'.repeat(10_000)}`);
    expect(res.status).toBe(400);
    expect((await readJson(res)).errors[0]?.code).toBe('malformed_json');
    await alive();
  });

  it.each([
    ['__proto__', '{"__proto__":{"polluted":"yes"}}'],
    ['escaped __proto__', '{"\\u005f_proto__":{"polluted":"yes"}}'],
    ['constructor.prototype', '{"a":[{"constructor":{"prototype":{"polluted":"yes"}}}]}'],
  ])('refuses a %s key with 400 and pollutes no prototype', async (_name, body) => {
    const res = await postJson(t.app.url, body);
    expect(res.status).toBe(400);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('accepts a harmless constructor key', async () => {
    const res = await postJson(t.app.url, '{"constructor":"Ada"}');
    expect(await readJson(res)).toEqual({ keys: ['constructor'], polluted: null });
  });

  it.each([
    '/v1/items/%00',
    '/v1/items/..%2F..%2Fetc',
    '/../../etc/passwd',
    '/v1/items/%E0%A4%A',
    '/v1/items/%',
  ])('answers the path %s with a 4xx problem', async (path) => {
    const raw = await rawRequest(
      t.app.port,
      `GET ${path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`,
    );
    expect(statusOf(raw)).toBeGreaterThanOrEqual(400);
    expect(statusOf(raw)).toBeLessThan(500);
    expect(raw).toMatch(/content-type: application\/problem\+json/i);
  });

  it('closes the connection cleanly on a header value with CR/LF and stays up', async () => {
    const raw = await rawRequest(
      t.app.port,
      'GET /hello HTTP/1.1\r\nHost: x\r\nX-Evil: a\rb\r\n\r\n',
    );
    expect(statusOf(raw)).toBe(400);
    expect(raw).toMatch(/content-type: application\/problem\+json/i);
    await alive();
  });

  it('logs a request aborted mid-body as aborted and stays up', async () => {
    const head =
      'POST /echo HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 1000\r\nX-Correlation-Id: abort-me\r\n\r\n{"a":';
    await rawRequest(t.app.port, head, 200);
    await expect
      .poll(() => t.log.lines.find((l) => l.obj.correlationId === 'abort-me'))
      .toBeDefined();
    const line = t.log.lines.find((l) => l.obj.correlationId === 'abort-me');
    expect(line?.msg).toBe('request aborted');
    expect(line?.obj.aborted).toBe(true);
    await alive();
  });
});
