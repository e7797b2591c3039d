import { describe, expect, it } from 'vitest';
import { FRAMEWORKS, useApp } from '../support/fixture.js';

describe.each(FRAMEWORKS)('docs UI on %s', (framework) => {
  const t = useApp(framework, { openapi: { info: { title: 'Contract API', version: '1.0.0' } } });

  it("serves Scalar's page for the OpenAPI document under a per-request nonce", async () => {
    const res = await fetch(`${t.app.url}/docs`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
    const html = await res.text();
    expect(html).toContain('<title>Contract API</title>');
    expect(html).toContain('./openapi.json');
    const csp = res.headers.get('content-security-policy') ?? '';
    const nonce = /'nonce-([^']+)'/.exec(csp)?.[1];
    expect(html).toContain(`nonce="${nonce}"`);
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toContain('https://cdn.jsdelivr.net');
    expect(csp).not.toContain('unsafe-eval');
  });

  it('loads a pinned Scalar bundle with its Subresource Integrity hash', async () => {
    const html = await (await fetch(`${t.app.url}/docs`)).text();
    expect(html).toMatch(
      /<script src="https:\/\/cdn\.jsdelivr\.net\/npm\/@scalar\/api-reference@\d+\.\d+\.\d+\/dist\/browser\/standalone\.js" integrity="sha384-[A-Za-z0-9+/]{64}" crossorigin="anonymous"/,
    );
  });

  it('keeps the API-wide CSP on every other route', async () => {
    const res = await fetch(`${t.app.url}/hello`);
    expect(res.headers.get('content-security-policy')).toBe(
      "default-src 'none';frame-ancestors 'none'",
    );
  });

  it('logs the docs page at debug', async () => {
    await fetch(`${t.app.url}/docs`, { headers: { 'x-correlation-id': 'docs-1' } });
    await expect
      .poll(() => t.log.lines.find((l) => l.obj.correlationId === 'docs-1')?.level)
      .toBe('debug');
  });
});

describe.each(FRAMEWORKS)('docs UI from another bundle on %s', (framework) => {
  const cdn = 'https://docs.example.com/scalar/standalone.js';
  const integrity = `sha384-${'A'.repeat(64)}`;
  const own = useApp(framework, { docs: { cdn, integrity } });
  const bare = useApp(framework, { docs: { cdn } });

  it('uses the given bundle and integrity, and no integrity unless given for another bundle', async () => {
    const html = await (await fetch(`${own.app.url}/docs`)).text();
    expect(html).toContain(`<script src="${cdn}" integrity="${integrity}" crossorigin="anonymous"`);
    const res = await fetch(`${bare.app.url}/docs`);
    expect(res.headers.get('content-security-policy')).toContain('https://docs.example.com');
    expect(await res.text()).not.toContain('integrity=');
  });

  it('refuses a cdn that is not a URL and an integrity that is not an SRI hash', async () => {
    const { createHttpCore } = await import('../../src/index.js');
    expect(() => createHttpCore({ docs: { cdn: 'not a url' } })).toThrow(
      expect.objectContaining({ code: 'INVALID_OPTIONS' }),
    );
    expect(() => createHttpCore({ docs: { integrity: 'md5-x' } })).toThrow(
      expect.objectContaining({ code: 'INVALID_OPTIONS' }),
    );
  });
});

describe.each(FRAMEWORKS)('docs UI switched off on %s', (framework) => {
  const t = useApp(framework, { docs: false });

  it('serves no docs page but still the document', async () => {
    expect((await fetch(`${t.app.url}/docs`)).status).toBe(404);
    expect((await fetch(`${t.app.url}/openapi.json`)).status).toBe(200);
  });
});
