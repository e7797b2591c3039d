import { describe, expect, it } from 'vitest';
import { FRAMEWORKS, readJson, useApp } from '../support/fixture.js';
import { rawRequest } from '../support/raw.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe.each(FRAMEWORKS)('correlation ids on %s', (framework) => {
  const t = useApp(framework);

  it('echoes a valid x-correlation-id and exposes it to the handler and the ambient context', async () => {
    const res = await fetch(`${t.app.url}/ctx`, { headers: { 'x-correlation-id': 'order-7f3a' } });
    expect(res.headers.get('x-correlation-id')).toBe('order-7f3a');
    expect(await readJson(res)).toEqual({
      correlationId: 'order-7f3a',
      ambient: 'order-7f3a',
      operation: 'GET /ctx',
    });
  });

  it('falls back to x-request-id when x-correlation-id is absent', async () => {
    const res = await fetch(`${t.app.url}/hello`, { headers: { 'x-request-id': 'lb-123' } });
    expect(res.headers.get('x-correlation-id')).toBe('lb-123');
  });

  it('generates an id when none is sent', async () => {
    const res = await fetch(`${t.app.url}/hello`);
    expect(res.headers.get('x-correlation-id')).toMatch(UUID);
  });

  it('replaces an oversized id with a fresh one', async () => {
    const res = await fetch(`${t.app.url}/hello`, {
      headers: { 'x-correlation-id': 'a'.repeat(129) },
    });
    expect(res.headers.get('x-correlation-id')).toMatch(UUID);
  });

  it('replaces an id with characters outside the allowed set', async () => {
    const res = await fetch(`${t.app.url}/hello`, {
      headers: { 'x-correlation-id': 'a b"<script>' },
    });
    expect(res.headers.get('x-correlation-id')).toMatch(UUID);
  });

  it('replaces a repeated x-correlation-id header with a fresh id', async () => {
    const raw = await rawRequest(
      t.app.port,
      'GET /hello HTTP/1.1\r\nHost: x\r\nx-correlation-id: one\r\nx-correlation-id: two\r\nConnection: close\r\n\r\n',
    );
    const echoed = /x-correlation-id: ([^\r\n]+)/i.exec(raw)?.[1];
    expect(echoed).toMatch(UUID);
  });

  it('puts the correlation id of the request in error bodies', async () => {
    const res = await fetch(`${t.app.url}/conflict`, { headers: { 'x-correlation-id': 'c-1' } });
    expect((await readJson(res)).correlationId).toBe('c-1');
  });
});
