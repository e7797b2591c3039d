import type { Server } from 'node:http';
import { Agent } from 'node:http';
import { createHealth, createHealthHandler, type Health } from '@plinth/health';
import { afterEach, describe, expect, it } from 'vitest';
import { optionPaths } from './helpers/options-error.js';
import { assertHealthBody } from './helpers/schema.js';
import { close, get, listen } from './helpers/server.js';

let server: Server | undefined;
afterEach(async () => {
  if (server) await close(server);
  server = undefined;
});

async function start(health: Health, options?: Parameters<typeof createHealthHandler>[1]) {
  const probes = createHealthHandler(health, options);
  const started = await listen((req, res) => {
    if (probes(req, res)) return;
    res.writeHead(200, { 'content-type': 'text/plain' });
    res.end('app');
  });
  server = started.server;
  return started.url;
}

describe('createHealthHandler', () => {
  it('answers readiness with 200, health+json and no-store', async () => {
    const url = await start(createHealth({ checks: { db: async () => {} } }));
    const res = await get(`${url}/health/ready`);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('application/health+json');
    expect(res.headers['cache-control']).toBe('no-store');
    const body = JSON.parse(res.body);
    assertHealthBody(body);
    expect(body.status).toBe('pass');
  });

  it('answers 503 when readiness fails and 200 on warn', async () => {
    const down = async () => {
      throw new Error('down');
    };
    const failUrl = await start(createHealth({ checks: { db: down } }));
    expect((await get(`${failUrl}/health/ready`)).status).toBe(503);
    await close(server!);
    const warnUrl = await start(createHealth({ checks: { db: { check: down, critical: false } } }));
    const warn = await get(`${warnUrl}/health/ready?verbose=1`);
    expect(warn.status).toBe(200);
    expect(JSON.parse(warn.body).status).toBe('warn');
  });

  it('answers liveness on its own path and honours custom paths', async () => {
    const url = await start(createHealth(), { livePath: '/livez', readyPath: '/readyz' });
    expect((await get(`${url}/livez`)).status).toBe(200);
    expect((await get(`${url}/readyz`)).status).toBe(200);
    expect((await get(`${url}/health/live`)).body).toBe('app');
  });

  it('answers with 503 fallback instead of hanging when a response cannot be serialised', async () => {
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    const broken: Health = {
      live: async () => ({ httpStatus: 200, headers: {}, body: cyclic as never }),
      ready: async () => ({ httpStatus: 200, headers: {}, body: { status: 'pass' } }),
      beginShutdown() {},
      shuttingDown: false,
    };
    const url = await start(broken);
    const res = await get(`${url}/health/live`);
    expect(res.status).toBe(503);
    expect(JSON.parse(res.body)).toMatchObject({ status: 'fail' });
  });

  it('leaves other paths to the application', async () => {
    const url = await start(createHealth());
    const res = await get(`${url}/v1/clients`);
    expect(res).toMatchObject({ status: 200, body: 'app' });
  });

  it('answers HEAD without a body and refuses other methods with 405', async () => {
    const url = await start(createHealth());
    const head = await get(`${url}/health/ready`, { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(head.body).toBe('');
    const post = await get(`${url}/health/ready`, { method: 'POST' });
    expect(post.status).toBe(405);
    expect(post.headers.allow).toBe('GET, HEAD');
  });

  it('answers both probes with a trailing slash and to HEAD without a body', async () => {
    const url = await start(createHealth({ cacheMs: 60_000, checks: { db: async () => {} } }));
    for (const path of ['/health/ready/', '/health/live/', '/health/ready/?full=1']) {
      const got = await get(`${url}${path}`);
      expect(got.status).toBe(200);
      expect(JSON.parse(got.body).status).toBe('pass');
      const head = await get(`${url}${path}`, { method: 'HEAD' });
      expect(head.status).toBe(200);
      expect(head.headers['content-type']).toBe('application/health+json');
      expect(head.headers['content-length']).toBe(String(Buffer.byteLength(got.body)));
      expect(head.body).toBe('');
    }
    expect((await get(`${url}/health/ready//`)).body).toBe('app');
    expect((await get(`${url}/health/readyz`)).body).toBe('app');
  });

  it('matches a custom path given with a trailing slash with or without it', async () => {
    const url = await start(createHealth(), { readyPath: '/readyz/' });
    expect((await get(`${url}/readyz`)).status).toBe(200);
    expect((await get(`${url}/readyz/`)).status).toBe(200);
  });

  it('answers from the cache with the same body until a result changes', async () => {
    let lag = 1;
    const health = createHealth({
      cacheMs: 60_000,
      checks: { lag: { check: async () => lag, measurement: 'lag', observedUnit: 's' } },
    });
    const url = await start(health);
    const first = await get(`${url}/health/ready`);
    lag = 2;
    const second = await get(`${url}/health/ready`);
    expect(second.body).toBe(first.body);
    expect(JSON.parse(first.body).checks['lag:lag'][0].observedValue).toBe(1);
    health.beginShutdown();
    const draining = await get(`${url}/health/ready`);
    expect(draining.status).toBe(503);
    expect(JSON.parse(draining.body)).toMatchObject({ status: 'fail', output: 'shutting down' });
  });

  it('rejects something that is not a Health and paths that are not absolute', () => {
    expect(optionPaths(() => createHealthHandler({} as never))).toEqual(['health']);
    const health = createHealth();
    expect(optionPaths(() => createHealthHandler(health, { readyPath: 'ready' }))).toEqual([
      'readyPath',
    ]);
    expect(optionPaths(() => createHealthHandler(health, { livePath: '/live?x=1' }))).toEqual([
      'livePath',
    ]);
  });

  it('asks keep-alive clients to close the connection once shutdown began', async () => {
    const health = createHealth();
    const url = await start(health);
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    try {
      const before = await get(`${url}/v1/clients`, { agent });
      expect(before.headers.connection).toBe('keep-alive');
      health.beginShutdown();
      const app = await get(`${url}/v1/clients`, { agent });
      expect(app.headers.connection).toBe('close');
      const ready = await get(`${url}/health/ready`, { agent });
      expect(ready.status).toBe(503);
      expect(ready.headers.connection).toBe('close');
    } finally {
      agent.destroy();
    }
  });
});
