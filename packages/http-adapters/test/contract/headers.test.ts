import { describe, expect, it } from 'vitest';
import { FRAMEWORKS, ORIGIN, useApp } from '../support/fixture.js';

const SECURITY_HEADERS = {
  'content-security-policy': "default-src 'none';frame-ancestors 'none'",
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
  'x-xss-protection': '0',
  'strict-transport-security': 'max-age=31536000; includeSubDomains',
  'cross-origin-resource-policy': 'same-origin',
};
// helmet defaults that act only on HTML documents, Internet Explorer or Flash: not sent (ADR 0110).
const DOCUMENT_ONLY = [
  'cross-origin-opener-policy',
  'origin-agent-cluster',
  'x-dns-prefetch-control',
  'x-download-options',
  'x-permitted-cross-domain-policies',
];

describe.each(FRAMEWORKS)('security headers and CORS on %s', (framework) => {
  const t = useApp(framework);

  it.each(['/hello', '/nope', '/boom'])('sends the security header set on %s', async (path) => {
    const res = await fetch(`${t.app.url}${path}`);
    for (const [name, value] of Object.entries(SECURITY_HEADERS))
      expect(res.headers.get(name), name).toBe(value);
    for (const name of ['x-powered-by', ...DOCUMENT_ONLY])
      expect(res.headers.get(name), name).toBeNull();
  });

  it('answers a preflight from a listed origin with 204, methods, headers and max age', async () => {
    const res = await fetch(`${t.app.url}/v1/items`, {
      method: 'OPTIONS',
      headers: {
        origin: ORIGIN,
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'content-type',
      },
    });
    expect(res.status).toBe(204);
    expect(res.headers.get('access-control-allow-origin')).toBe(ORIGIN);
    expect(res.headers.get('access-control-allow-credentials')).toBe('true');
    expect(res.headers.get('access-control-allow-methods')).toContain('POST');
    expect(res.headers.get('access-control-allow-headers')).toContain('content-type');
    expect(res.headers.get('access-control-max-age')).toBe('300');
    expect(res.headers.get('vary')).toBe('Origin');
  });

  it('gives a preflight from an unlisted origin no allow headers', async () => {
    const res = await fetch(`${t.app.url}/v1/items`, {
      method: 'OPTIONS',
      headers: { origin: 'https://evil.example', 'access-control-request-method': 'POST' },
    });
    expect(res.status).toBe(204);
    expect(res.headers.get('access-control-allow-origin')).toBeNull();
    expect(res.headers.get('access-control-allow-credentials')).toBeNull();
  });

  it('adds allow-origin, credentials and exposed headers to a simple request from a listed origin', async () => {
    const res = await fetch(`${t.app.url}/hello`, { headers: { origin: ORIGIN } });
    expect(res.headers.get('access-control-allow-origin')).toBe(ORIGIN);
    expect(res.headers.get('access-control-expose-headers')).toContain('x-correlation-id');
    expect(res.headers.get('vary')).toBe('Origin');
  });

  it('adds no CORS headers for an unlisted origin but still answers', async () => {
    const res = await fetch(`${t.app.url}/hello`, { headers: { origin: 'https://evil.example' } });
    expect(res.status).toBe(200);
    expect(res.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('answers OPTIONS without a preflight header through 405', async () => {
    const res = await fetch(`${t.app.url}/hello`, { method: 'OPTIONS' });
    expect(res.status).toBe(405);
  });
});
