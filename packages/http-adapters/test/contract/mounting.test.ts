import type { AddressInfo } from 'node:net';
import express from 'express';
import Fastify from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createExpressAdapter } from '../../src/express/index.js';
import { plinthFastify } from '../../src/fastify/index.js';
import { captureLogger } from '../support/apps.js';
import { contractOptions, readJson } from '../support/fixture.js';

type Mounted = { url: string; close(): Promise<void>; log: ReturnType<typeof captureLogger> };

/** The API under /api, and one framework-native route outside it at /outside. */
const mounts: Record<'express' | 'fastify', () => Promise<Mounted>> = {
  express: async () => {
    const log = captureLogger();
    const app = express();
    const plinth = createExpressAdapter(contractOptions(log.logger));
    app.get('/outside', (_req, res) => void res.json({ outside: true }));
    app.use('/api', plinth.middleware, ...plinth.finalHandlers);
    const server = app.listen(0, '127.0.0.1');
    await new Promise((r) => server.once('listening', r));
    return {
      url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
      close: () => new Promise((r) => server.close(() => r())),
      log,
    };
  },
  fastify: async () => {
    const log = captureLogger();
    const app = Fastify();
    app.get('/outside', async () => ({ outside: true }));
    await app.register(
      async (api) => {
        await api.register(plinthFastify, contractOptions(log.logger));
      },
      { prefix: '/api' },
    );
    await app.listen({ port: 0, host: '127.0.0.1' });
    return {
      url: `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`,
      close: () => app.close(),
      log,
    };
  },
};

describe.each(['express', 'fastify'] as const)('mounted under a prefix on %s', (framework) => {
  let m: Mounted;
  beforeAll(async () => {
    m = await mounts[framework]();
  });
  afterAll(() => m.close());

  it('serves declared routes under the prefix with decoded params', async () => {
    const res = await fetch(`${m.url}/api/v1/items/abc`, {
      headers: { 'x-correlation-id': 'mount-1' },
    });
    expect(await readJson(res)).toEqual({ id: 'abc' });
    expect(res.headers.get('x-frame-options')).toBe('DENY');
    await expect
      .poll(() => m.log.lines.find((l) => l.obj.correlationId === 'mount-1')?.obj.route)
      .toBe('/api/v1/items/:id');
  });

  it('answers unknown paths and wrong methods under the prefix with problems', async () => {
    const missing = await fetch(`${m.url}/api/nope?token=abc`);
    expect(missing.status).toBe(404);
    expect((await readJson(missing)).instance).toBe('/api/nope');
    const res = await fetch(`${m.url}/api/v1/items/abc`, { method: 'PUT' });
    expect(res.status).toBe(405);
    expect(res.headers.get('allow')).toBe('DELETE, GET, HEAD');
  });

  it('leaves routes outside the prefix untouched', async () => {
    const res = await fetch(`${m.url}/outside`);
    expect(await readJson(res)).toEqual({ outside: true });
    expect(res.headers.get('x-correlation-id')).toBeNull();
    expect(res.headers.get('content-security-policy')).toBeNull();
  });
});
