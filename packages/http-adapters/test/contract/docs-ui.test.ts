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

describe.each(FRAMEWORKS)('docs UI switched off on %s', (framework) => {
  const t = useApp(framework, { docs: false });

  it('serves no docs page but still the document', async () => {
    expect((await fetch(`${t.app.url}/docs`)).status).toBe(404);
    expect((await fetch(`${t.app.url}/openapi.json`)).status).toBe(200);
  });
});
