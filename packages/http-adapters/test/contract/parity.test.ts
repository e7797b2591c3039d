import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { captureLogger, type RunningApp, startApp } from '../support/apps.js';
import { contractOptions, ORIGIN } from '../support/fixture.js';

// Values that differ per request by design; everything else must be byte-identical.
const VARYING_HEADERS = new Set(['date', 'x-correlation-id', 'keep-alive', 'connection']);
const VARYING_FIELDS = new Set(['errorId', 'timestamp', 'correlationId']);

interface Seen {
  status: number;
  headers: Record<string, string>;
  body: unknown;
}

async function observe(base: string, path: string, init: RequestInit = {}): Promise<Seen> {
  const res = await fetch(`${base}${path}`, init);
  const headers: Record<string, string> = {};
  res.headers.forEach((value, name) => {
    if (!VARYING_HEADERS.has(name)) headers[name] = value;
  });
  const text = await res.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text, (k, v) => (VARYING_FIELDS.has(k) ? '<varies>' : v));
  } catch {
    // Not JSON: compare the text.
  }
  return { status: res.status, headers, body };
}

const json = (body: string, type = 'application/json'): RequestInit => ({
  method: 'POST',
  headers: { 'content-type': type },
  body,
});

const CASES: [string, string, RequestInit?][] = [
  ['hello', '/hello'],
  ['head', '/hello', { method: 'HEAD' }],
  ['params', '/v1/items/abc'],
  ['bad params', '/v1/items/A%20B'],
  ['created', '/v1/items', json('{"name":"a","qty":2}')],
  ['validation', '/v1/items?dryRun=x', json('{"name":"","extra":1}')],
  ['delete', '/v1/items/abc', { method: 'DELETE' }],
  ['500', '/boom'],
  ['409', '/conflict'],
  ['429', '/limited'],
  ['404', '/missing/path'],
  ['405', '/hello', { method: 'POST' }],
  ['malformed', '/echo', json('{nope')],
  ['413', '/small', json('{"a":"0123456789abcdef"}')],
  ['415', '/echo', json('a=1', 'application/x-www-form-urlencoded')],
  ['proto', '/echo', json('{"__proto__":{"polluted":1}}')],
  [
    'preflight',
    '/v1/items',
    { method: 'OPTIONS', headers: { origin: ORIGIN, 'access-control-request-method': 'POST' } },
  ],
  ['simple cors', '/hello', { headers: { origin: ORIGIN } }],
  ['encoded slash', '/v1/items/a%2Fb'],
  ['dot segments', '/v1/items/%2E%2E'],
  ['bad escape', '/v1/items/%E0%A4%A'],
  ['nul byte', '/v1/items/%00'],
];

describe('Express and Fastify answer identically', () => {
  let express: RunningApp;
  let fastify: RunningApp;
  beforeAll(async () => {
    express = await startApp('express', contractOptions(captureLogger().logger));
    fastify = await startApp('fastify', contractOptions(captureLogger().logger));
  });
  afterAll(async () => {
    await express.close();
    await fastify.close();
  });

  it.each(CASES)('gives the same status, headers and body for %s', async (_name, path, init) => {
    const [a, b] = [await observe(express.url, path, init), await observe(fastify.url, path, init)];
    expect(b).toEqual(a);
  });
});
